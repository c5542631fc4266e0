"""Mailbox passwords under KMS, bound to their workspace and inbox by the encryption context.

An inbox's SMTP and IMAP passwords are sealed together in one KMS call: one Encrypt when it is
connected and one Decrypt when a connection is made, half the KMS round trips (and cost) of
sealing each alone. The context means a ciphertext copied onto another inbox or workspace
cannot be opened there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.errors import DependencyUnavailable

PURPOSE = "mailbox_passwords"


@dataclass(frozen=True)
class MailboxPasswords:
    """The two secrets of a mailbox; repr never shows them."""

    smtp: str = field(repr=False)
    imap: str = field(repr=False)


def encryption_context(workspace_id: str, inbox_id: str) -> dict[str, str]:
    return {"workspace_id": workspace_id, "inbox_id": inbox_id, "purpose": PURPOSE}


class PasswordVault:
    def __init__(self, kms: Any, key_id: str) -> None:
        self._kms = kms
        self._key_id = key_id

    def seal(self, passwords: MailboxPasswords, workspace_id: str, inbox_id: str) -> bytes:
        secrets = {"smtp": passwords.smtp, "imap": passwords.imap}
        return self.seal_secrets(secrets, encryption_context(workspace_id, inbox_id))

    def open(self, ciphertext: bytes, workspace_id: str, inbox_id: str) -> MailboxPasswords:
        sealed = self.open_secrets(ciphertext, encryption_context(workspace_id, inbox_id))
        return MailboxPasswords(smtp=sealed["smtp"], imap=sealed["imap"])

    def seal_secrets(self, secrets: dict[str, Any], context: dict[str, str]) -> bytes:
        """Any secrets (OAuth tokens, a client secret) sealed under `context`, which must name
        the workspace, the owning item and the purpose."""
        try:
            response = self._kms.encrypt(
                KeyId=self._key_id,
                Plaintext=json.dumps(secrets).encode(),
                EncryptionContext=context,
            )
        except (ClientError, BotoCoreError) as exc:
            raise DependencyUnavailable("KMS", _error_code(exc)) from None
        return bytes(response["CiphertextBlob"])

    def open_secrets(self, ciphertext: bytes, context: dict[str, str]) -> dict[str, Any]:
        try:
            response = self._kms.decrypt(CiphertextBlob=ciphertext, EncryptionContext=context)
        except (ClientError, BotoCoreError) as exc:
            raise DependencyUnavailable("KMS", _error_code(exc)) from None
        opened: dict[str, Any] = json.loads(bytes(response["Plaintext"]))
        return opened


def _error_code(exc: Exception) -> str:
    # The exception text is dropped on purpose: nothing of the request may leak.
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "ClientError"))
    return type(exc).__name__
