"""What a validation stage reports, without the protocol libraries: the contract's error
classes and the 400 body. Modules that only read or show failures import this, not the probes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    AUTH_FAILED = "AUTH_FAILED"
    CONNECTION_FAILED = "CONNECTION_FAILED"
    TIMEOUT = "TIMEOUT"
    HOST_NOT_FOUND = "HOST_NOT_FOUND"
    SSL_ERROR = "SSL_ERROR"
    HOST_NOT_ALLOWED = "HOST_NOT_ALLOWED"
    # After a successful login: the server refuses the inbox's address as sender, a
    # recipient, or the message itself (its reply says which).
    SENDER_REJECTED = "SENDER_REJECTED"
    RECIPIENT_REJECTED = "RECIPIENT_REJECTED"
    MESSAGE_REJECTED = "MESSAGE_REJECTED"
    # Native inboxes, checked through their domain's SES identity.
    DOMAIN_NOT_VERIFIED = "DOMAIN_NOT_VERIFIED"
    DOMAIN_VERIFICATION_PENDING = "DOMAIN_VERIFICATION_PENDING"


@dataclass(frozen=True)
class StageFailure:
    """One failed stage as the contract's error object shows it."""

    stage: str
    error_code: ErrorCode
    detail: str
    server_reply: str | None = None
    hint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "detail": self.detail,
            "error_code": self.error_code.value,
            "stage": self.stage,
        }
        if self.server_reply is not None:
            body["server_reply"] = self.server_reply
        if self.hint is not None:
            body["hint"] = self.hint
        return body


def failure_body(failures: Sequence[StageFailure]) -> dict[str, Any]:
    """The contract's 400 body: the first failed stage on top, every failed stage listed."""
    body = failures[0].as_dict()
    body["errors"] = [failure.as_dict() for failure in failures]
    return body
