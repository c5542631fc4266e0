"""Who owns a sending domain: the workspace that shows its own token in the domain's DNS.

SES cannot tell workspaces apart (its identities and DKIM tokens belong to the AWS account), so
a name is not claimed by registering it. Each registration gets a token of its own; while the
token has not been seen at `_sender-accounts.<domain>` the registration is pending, visible to
its workspace only, blocks nobody and expires. The first workspace whose token is seen takes
the name, and with it the SES identity.
"""

from __future__ import annotations

import secrets
import time
from typing import Literal, Protocol

from sender_accounts.store.records import DomainRecord

OWNERSHIP_LABEL = "_sender-accounts"
RECORD_VALUE_PREFIX = "sender-accounts-verification="
PENDING_CLAIM_SECONDS = 7 * 24 * 3600


class TxtLookup(Protocol):
    def txt(self, name: str) -> list[str] | None: ...


def new_token() -> str:
    return secrets.token_urlsafe(24)


def ownership_record_name(domain: str) -> str:
    return f"{OWNERSHIP_LABEL}.{domain}"


def ownership_record_value(token: str) -> str:
    return f"{RECORD_VALUE_PREFIX}{token}"


def pending_expiry(now: float | None = None) -> int:
    return int((now if now is not None else time.time()) + PENDING_CLAIM_SECONDS)


def expired(item: DomainRecord, now: float | None = None) -> bool:
    """A pending registration past its time is gone for reads (lists remove it)."""
    moment = now if now is not None else time.time()
    return item.pending_until is not None and item.pending_until < moment


class OwnershipCheck:
    """Has this workspace's token been published? `assume` says yes at once (local only)."""

    def __init__(self, mode: Literal["dns", "assume"], dns: TxtLookup) -> None:
        self._mode = mode
        self._dns = dns

    def proven(self, domain: str, token: str) -> bool:
        if self._mode == "assume":
            return True
        values = self._dns.txt(ownership_record_name(domain))
        return bool(values) and ownership_record_value(token) in (values or [])
