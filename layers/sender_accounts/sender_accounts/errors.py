"""Errors a client can cause or a dependency can produce. Each declares its HTTP status,
`error_code` and body here, so the HTTP layer renders every one of them the same way
(http/errors.py); a new error without its own status is a 400, never an unhandled 502."""

from __future__ import annotations

from typing import Any, ClassVar

RETRY_AFTER_SECONDS = 5


class ServiceError(Exception):
    """Base of every error that becomes an answer to the client."""

    status: ClassVar[int] = 400
    error_code: ClassVar[str | None] = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": str(self)}
        if self.error_code is not None:
            body["error_code"] = self.error_code
        return body

    def headers(self) -> dict[str, str]:
        return {}


class NotFound(ServiceError):
    status, error_code = 404, "NOT_FOUND"

    def __init__(self, what: str = "Sender account", detail: str | None = None) -> None:
        super().__init__(detail or f"{what} not found")


class DuplicateAddress(ServiceError):
    status, error_code = 409, "DUPLICATE"

    def __init__(self, email_address: str) -> None:
        super().__init__(f"A sender account with address {email_address} already exists")


class InsufficientScope(ServiceError):
    status = 403

    def __init__(self, required: list[str], granted: list[str]) -> None:
        super().__init__("API key lacks a required scope")
        self.required = required
        self.granted = granted

    def body(self) -> dict[str, Any]:
        return {
            "detail": str(self),
            "error_code": "INSUFFICIENT_SCOPE",
            "error": "insufficient_scopes",
            "required": self.required,
            "granted": self.granted,
        }


class Unauthenticated(ServiceError):
    status, error_code = 401, "UNAUTHORIZED"

    def __init__(self) -> None:
        super().__init__("Invalid or missing API key")


class ConnectionValidationFailed(ServiceError):
    """SMTP or IMAP validation failed; `body` is the contract's 400 body, secrets removed."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body["detail"])
        self._body = body

    def body(self) -> dict[str, Any]:
        return self._body


class DependencyUnavailable(ServiceError):
    """KMS, DynamoDB, SQS or SES failed; nothing was stored."""

    status, error_code = 503, "SERVICE_UNAVAILABLE"

    def __init__(self, service: str, cause: str = "") -> None:
        super().__init__(f"{service} is unavailable; nothing was stored, please retry")
        self.service = service
        # The failed operation and the service's error code only: never a message or a value.
        self.cause = cause
        if cause:  # so a traceback says which failure it was, as the log record does
            self.add_note(f"{service}: {cause}")

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(RETRY_AFTER_SECONDS)}


class ConfirmationRequired(ServiceError):
    """A destructive request without `confirm_deletion: true`."""

    error_code = "CONFIRMATION_REQUIRED"

    def __init__(self) -> None:
        super().__init__("confirm_deletion must be true to delete sender accounts")


class DailyLimitReached(ServiceError):
    status, error_code = 429, "DAILY_LIMIT_REACHED"

    def __init__(self, daily_limit: int, retry_after_seconds: int) -> None:
        super().__init__(f"The inbox reached its daily limit of {daily_limit} emails (UTC day)")
        self.retry_after_seconds = retry_after_seconds

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class InboxNotActive(ServiceError):
    """Sending from an inbox that is PAUSED (the user's choice) or DISABLED (it cannot log in)."""

    status, error_code = 409, "INBOX_NOT_ACTIVE"

    def __init__(self, status: str) -> None:
        hint = (
            "resume it with PATCH status ACTIVE"
            if status == "PAUSED"
            else "check it again or give new credentials"
        )
        super().__init__(f"The sender account is {status}: nothing was sent; {hint}")


class InvalidStatusTransition(ServiceError):
    """A status change the inbox's state does not allow."""

    error_code = "INVALID_STATUS_TRANSITION"


class ConcurrentUpdate(ServiceError):
    status, error_code = 409, "CONCURRENT_UPDATE"

    def __init__(self) -> None:
        super().__init__("The sender account changed while this request ran; retry it")


class FieldRuleViolated(ServiceError):
    """A field breaks a rule that needs stored state (e.g. the provider's daily maximum)."""

    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field

    def body(self) -> dict[str, Any]:
        problem = {"loc": ["body", self.field], "msg": str(self), "type": "value_error"}
        return {"detail": [problem], "error_code": "VALIDATION_ERROR"}


class DomainNotActive(ServiceError):
    error_code = "DOMAIN_NOT_ACTIVE"

    def __init__(self, domain: str, status: str) -> None:
        super().__init__(
            f"The domain {domain} is {status}: publish its DNS records and wait until it is ACTIVE"
        )


class DomainInUse(ServiceError):
    status, error_code = 409, "IN_USE"

    def __init__(self, count: int) -> None:
        super().__init__(f"The domain is used by {count} sender account(s): delete them first")


class DuplicateDomain(ServiceError):
    status, error_code = 409, "DUPLICATE"

    def __init__(self, domain: str) -> None:
        super().__init__(f"The domain {domain} is already registered in this workspace")


class InvalidRequest(ServiceError):
    """Request problems found before a route's own validation (shape, headers)."""

    status = 422

    def __init__(self, loc: list[str | int], message: str) -> None:
        super().__init__(message)
        self.loc = loc

    def body(self) -> dict[str, Any]:
        problem = {"loc": self.loc, "msg": str(self), "type": "value_error"}
        return {"detail": [problem], "error_code": "VALIDATION_ERROR"}


class RequestTooLarge(ServiceError):
    status, error_code = 413, "PAYLOAD_TOO_LARGE"


class UnsupportedContentType(ServiceError):
    status, error_code = 415, "UNSUPPORTED_MEDIA_TYPE"


class RateLimited(ServiceError):
    status, error_code = 429, "RATE_LIMITED"

    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__("Rate limit exceeded for this workspace")
        self._headers = headers

    def headers(self) -> dict[str, str]:
        return self._headers


class IdempotencyKeyReused(ServiceError):
    status, error_code = 409, "IDEMPOTENCY_KEY_REUSED"

    def __init__(self) -> None:
        super().__init__("This Idempotency-Key was used with another request body")


class IdempotencyKeyInProgress(ServiceError):
    status, error_code = 409, "IDEMPOTENCY_KEY_IN_PROGRESS"

    def __init__(self) -> None:
        super().__init__("A request with this Idempotency-Key is still in progress; retry shortly")

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "1"}


class InvalidCursor(ServiceError):
    """A cursor this deployment did not issue for this workspace and this query."""

    status, error_code = 400, "INVALID_CURSOR"

    def __init__(self) -> None:
        super().__init__(
            "cursor is not valid for this query: pass the next_cursor of the previous page "
            "with the same filters and sort, or start again without one"
        )


class CapacityExceeded(ServiceError):
    """A bound on mail connections is reached: nothing was changed; retry after `retry_after`
    seconds (queue work is put back on its queue for then)."""

    status = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = max(1, retry_after)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class MailHostBusy(CapacityExceeded):
    """Every connection the product allows itself to one mail server address is in use."""

    error_code = "MAIL_HOST_BUSY"

    def __init__(self, host: str) -> None:
        super().__init__(
            f"Too many connections are open to the mail server of {host} at this moment; "
            "nothing was changed, please retry",
            RETRY_AFTER_SECONDS,
        )


class MailConnectionBudgetSpent(CapacityExceeded):
    """The workspace opened as many mail connections this minute as it may."""

    error_code = "MAIL_CONNECTION_LIMIT"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "This workspace has opened as many mail connections this minute as it may; "
            "nothing was changed, please retry after the time in Retry-After",
            retry_after,
        )


class OAuthAppInUse(ServiceError):
    status, error_code = 409, "IN_USE"

    def __init__(self, count: int) -> None:
        super().__init__(
            f"The OAuth app is used by {count} sender account(s): delete them or give them "
            "another app first"
        )


class InvalidState(ServiceError):
    """A consent's `state` that was never issued (a replayed or expired one is redirected)."""

    error_code = "INVALID_STATE"

    def __init__(self) -> None:
        super().__init__("Unknown state: start the consent again with POST /oauth/authorizations")
