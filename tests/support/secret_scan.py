"""A scan of everything the stack says during the test run for the secrets tests gave it:
every gateway response and every log record, for every password and API key."""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from sender_accounts.mail.redaction import wire_payloads

MIN_SECRET_LENGTH = 6  # shorter test strings ("pw") would match innocent text


@dataclass
class SecretScan:
    secrets: set[str] = field(default_factory=set)
    responses: int = 0
    log_records: int = 0
    findings: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def register(self, secret: str | None) -> None:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            with self._lock:
                self.secrets.add(secret)
                self.secrets.add(base64.b64encode(secret.encode()).decode())

    def check(self, where: str, text: str) -> None:
        with self._lock:
            found = [s for s in self.secrets if s in text]
            if found:
                self.findings.append(f"{where}: {len(found)} secret(s) in {text[:200]!r}")

    def check_response(self, text: str) -> None:
        self.responses += 1
        self.check("response", text)


class ScanningHandler(logging.Handler):
    def __init__(self, scan: SecretScan) -> None:
        super().__init__(level=logging.DEBUG)
        self._scan = scan

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # a record that cannot format is no leak of ours
            return
        self._scan.log_records += 1
        self._scan.check(f"log {record.name}", text)


SCAN = SecretScan()


def secret_spellings(credentials: Iterable[tuple[str, str]]) -> list[str]:
    """The payload spellings plus each bare password: what must never be shown."""
    spellings: set[str] = set()
    for username, password in credentials:
        if password:
            spellings.update(wire_payloads(username, password))
            spellings.add(password)
    return sorted(spellings, key=len, reverse=True)
