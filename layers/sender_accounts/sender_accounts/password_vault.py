"""Mailbox passwords under KMS: encrypted with a context that binds them to workspace and inbox.

The context means a ciphertext copied onto another inbox or workspace cannot be decrypted there.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .errors import DependencyUnavailable


class PasswordVault:
    def __init__(self, kms: Any, key_id: str) -> None:
        self._kms = kms
        self._key_id = key_id

    @staticmethod
    def _context(workspace_id: str, inbox_id: str, purpose: str) -> dict[str, str]:
        return {"workspace_id": workspace_id, "inbox_id": inbox_id, "purpose": purpose}

    def encrypt(self, plaintext: str, workspace_id: str, inbox_id: str, purpose: str) -> bytes:
        try:
            response = self._kms.encrypt(
                KeyId=self._key_id,
                Plaintext=plaintext.encode(),
                EncryptionContext=self._context(workspace_id, inbox_id, purpose),
            )
        except (ClientError, BotoCoreError) as exc:
            raise DependencyUnavailable("KMS", _error_code(exc)) from None
        return bytes(response["CiphertextBlob"])

    def decrypt(self, ciphertext: bytes, workspace_id: str, inbox_id: str, purpose: str) -> str:
        try:
            response = self._kms.decrypt(
                CiphertextBlob=ciphertext,
                EncryptionContext=self._context(workspace_id, inbox_id, purpose),
            )
        except (ClientError, BotoCoreError) as exc:
            raise DependencyUnavailable("KMS", _error_code(exc)) from None
        return bytes(response["Plaintext"]).decode()


def _error_code(exc: Exception) -> str:
    # The exception text is dropped on purpose: nothing of the request may leak.
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "ClientError"))
    return type(exc).__name__
