"""Standard Webhooks signatures: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with
the secret's base64 payload (after `whsec_`). During a rotation both secrets sign, so a
receiver that still holds the old one keeps verifying."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

SECRET_PREFIX = "whsec_"  # noqa: S105 - the specification's prefix, not a secret


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(os.urandom(32)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signature_header(secrets: list[str], message_id: str, timestamp: int, body: str) -> str:
    """Space-separated signatures, one per secret in use."""
    return " ".join(signature(secret, message_id, timestamp, body) for secret in secrets)


SECRETS_PURPOSE = "webhook_signing_secrets"


def secrets_context(workspace_id: str, webhook_id: str) -> dict[str, str]:
    return {"workspace_id": workspace_id, "webhook_id": webhook_id, "purpose": SECRETS_PURPOSE}
