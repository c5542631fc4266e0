"""Opaque, signed list positions: a cursor carries where the next page starts and is valid only
for the workspace and the query it was issued for, under this deployment's key (so a walk
survives restarts and crosses Lambda instances, and nobody can forge another's position)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from sender_accounts.errors import InvalidCursor

_MAC_BYTES = 16


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, workspace_id: str, query: str, payload: bytes) -> bytes:
    message = b"\n".join([workspace_id.encode(), query.encode(), payload])
    return hmac.new(key, message, hashlib.sha256).digest()[:_MAC_BYTES]


def encode_cursor(key: bytes, workspace_id: str, query: str, position: dict[str, Any]) -> str:
    payload = json.dumps(position, separators=(",", ":"), sort_keys=True).encode()
    return f"{_b64(payload)}.{_b64(_mac(key, workspace_id, query, payload))}"


def decode_cursor(key: bytes, workspace_id: str, query: str, cursor: str) -> dict[str, Any]:
    """The position; InvalidCursor for anything not issued for this workspace and query."""
    try:
        payload_text, mac_text = cursor.split(".")
        payload, mac = _unb64(payload_text), _unb64(mac_text)
    except ValueError:
        raise InvalidCursor() from None
    if not hmac.compare_digest(mac, _mac(key, workspace_id, query, payload)):
        raise InvalidCursor()
    position = json.loads(payload)
    if not isinstance(position, dict):
        raise InvalidCursor()
    return position
