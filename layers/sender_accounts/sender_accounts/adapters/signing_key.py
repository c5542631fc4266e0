"""The deployment's signing key (list cursors, idempotency fingerprints): a Secrets Manager
secret the template creates, read once per execution environment, at its first use."""

from __future__ import annotations

import threading
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.errors import DependencyUnavailable


class SigningKey:
    def __init__(self, secrets: Any, secret_id: str) -> None:
        self._secrets = secrets
        self._secret_id = secret_id
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def __call__(self) -> bytes:
        with self._lock:
            if self._key is None:
                try:
                    value = self._secrets.get_secret_value(SecretId=self._secret_id)
                except ClientError as exc:
                    code = exc.response.get("Error", {}).get("Code", "ClientError")
                    raise DependencyUnavailable("Secrets Manager", code) from None
                except BotoCoreError as exc:
                    raise DependencyUnavailable("Secrets Manager", type(exc).__name__) from None
                self._key = str(value["SecretString"]).encode()
            return self._key
