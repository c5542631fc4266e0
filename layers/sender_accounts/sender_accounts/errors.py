"""Domain errors. The HTTP layer maps each to a status code in one place (api.py)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a client can cause or a dependency can produce."""


class NotFound(DomainError):
    def __init__(self, what: str = "Sender account") -> None:
        super().__init__(f"{what} not found")


class DuplicateAddress(DomainError):
    def __init__(self, email_address: str) -> None:
        super().__init__(f"A sender account with address {email_address} already exists")


class InsufficientScope(DomainError):
    def __init__(self, required: list[str], granted: list[str]) -> None:
        super().__init__("API key lacks a required scope")
        self.required = required
        self.granted = granted


class Unauthenticated(DomainError):
    def __init__(self) -> None:
        super().__init__("Invalid or missing API key")


class ConnectionValidationFailed(DomainError):
    """SMTP or IMAP validation failed; `body` is the contract's 400 body, secrets removed."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body["detail"])
        self.body = body


class DependencyUnavailable(DomainError):
    """KMS, DynamoDB, SQS or SES failed; nothing was stored."""

    def __init__(self, service: str, cause: str = "") -> None:
        super().__init__(f"{service} is unavailable; nothing was stored, please retry")
        self.service = service
        # The failed operation and the service's error code only: never a message or a value.
        self.cause = cause


class ConfirmationRequired(DomainError):
    """A destructive request without `confirm_deletion: true`."""

    def __init__(self) -> None:
        super().__init__("confirm_deletion must be true to delete sender accounts")


class DailyLimitReached(DomainError):
    def __init__(self, daily_limit: int, retry_after_seconds: int) -> None:
        super().__init__(f"The inbox reached its daily limit of {daily_limit} emails (UTC day)")
        self.retry_after_seconds = retry_after_seconds


class InvalidStatusTransition(DomainError):
    """A status change the inbox's state does not allow."""


class ConcurrentUpdate(DomainError):
    def __init__(self) -> None:
        super().__init__("The sender account changed while this request ran; retry it")


class FieldRuleViolated(DomainError):
    """A field breaks a rule that needs stored state (e.g. the provider's daily maximum)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class DomainNotActive(DomainError):
    def __init__(self, domain: str, status: str) -> None:
        super().__init__(
            f"The domain {domain} is {status}: publish its DNS records and wait until it is ACTIVE"
        )


class DomainInUse(DomainError):
    def __init__(self, count: int) -> None:
        super().__init__(f"The domain is used by {count} sender account(s): delete them first")


class DuplicateDomain(DomainError):
    def __init__(self, domain: str) -> None:
        super().__init__(f"The domain {domain} is already registered")
