"""What an idempotency record keeps of a request's body: an HMAC under the deployment's signing
key over the body without its secrets.

The record lives for a day in a table that several roles read. A plain hash of the whole body
(Powertools hashes with MD5 by default) would let any of them test password guesses offline;
without the key, and without the secrets in what is hashed, the record tells nothing. A retry is
recognised by everything else it carries: the same inbox, the same hosts, the same settings.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

# Every request field that carries a credential, at any depth (bulk rows, token objects).
SECRET_FIELDS = frozenset(
    {
        "smtp_password",
        "imap_password",
        "password",
        "client_secret",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
    }
)
_PURPOSE = b"idempotency-fingerprint"


def without_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_secrets(v) for k, v in value.items() if k not in SECRET_FIELDS}
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value


def request_fingerprint(signing_key: bytes, body: str) -> str:
    """The same JSON request, however spaced or ordered, has the same fingerprint."""
    try:
        text = json.dumps(without_secrets(json.loads(body)), sort_keys=True, separators=(",", ":"))
    except ValueError:
        text = body  # refused by the route anyway; still never stored as it came
    # A key of its own, derived from the signing key: a fingerprint is never a valid cursor.
    key = hmac.new(signing_key, _PURPOSE, hashlib.sha256).digest()
    return hmac.new(key, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
