"""API keys: a prefix and 256 random bits, shown once; only a SHA-256 of the key is stored."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sender_accounts.store.access import AccessStore

READ_SCOPE = "sender_accounts:read"
WRITE_SCOPE = "sender_accounts:write"
ALL_SCOPES = (READ_SCOPE, WRITE_SCOPE)
KEY_PATTERN = re.compile(r"^cs_(live|test)_[A-Za-z0-9_-]{22,}$")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the workspace every read and write is scoped to, and the key's scopes."""

    workspace_id: str
    scopes: frozenset[str]


def hash_key(api_key: str) -> str:
    # The key carries 256 random bits, so a fast unsalted hash is enough and keeps auth cheap.
    return hashlib.sha256(api_key.encode()).hexdigest()


def new_key(prefix: str = "cs_live_") -> str:
    return prefix + secrets.token_urlsafe(32)


def issue_key(
    repository: AccessStore,
    workspace_name: str,
    scopes: tuple[str, ...] = ALL_SCOPES,
    prefix: str = "cs_live_",
    api_key: str | None = None,
) -> tuple[str, str]:
    """Create (or reuse) the workspace named `workspace_name` and a key for it: (id, key)."""
    unknown = set(scopes) - set(ALL_SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    key = api_key or new_key(prefix)
    if not KEY_PATTERN.fullmatch(key):
        raise ValueError("an API key is cs_live_ or cs_test_ followed by at least 22 characters")
    workspace_id = repository.workspace_id_for_name(workspace_name, f"ws_{uuid.uuid4().hex}")
    existing = repository.get_api_key(hash_key(key))
    if existing is None:
        repository.put_api_key(
            hash_key(key),
            {
                "workspace_id": workspace_id,
                "scopes": list(scopes),
                "key_prefix": key[:12],
                "created_at": datetime.now(UTC).isoformat(),
            },
        )
    elif existing["workspace_id"] != workspace_id:
        raise ValueError("that key already belongs to another workspace")
    return workspace_id, key


def authenticate(repository: AccessStore, api_key: str | None) -> Principal | None:
    """The principal behind `api_key`, or None when the key is missing, malformed or unknown."""
    if not api_key or not KEY_PATTERN.fullmatch(api_key):
        return None
    record = repository.get_api_key(hash_key(api_key))
    if record is None or record.get("revoked"):
        return None
    return Principal(str(record["workspace_id"]), frozenset(record.get("scopes", [])))
