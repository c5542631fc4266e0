"""Every status and type the store keeps, as enums: records are read into them, use cases and
events compare and carry them, and the API shows them (StrEnum: each is its stored string)."""

from __future__ import annotations

from enum import StrEnum


class InboxType(StrEnum):
    GOOGLE_WORKSPACE = "GOOGLE_WORKSPACE"
    OUTLOOK_365 = "OUTLOOK_365"
    CUSTOM_SMTP = "CUSTOM_SMTP"
    COLDSEND = "COLDSEND"


# The most a provider lets one mailbox send a day: the ceiling of an inbox's daily limit.
PROVIDER_MAX_DAILY_LIMIT: dict[InboxType, int] = {
    InboxType.GOOGLE_WORKSPACE: 2_000,
    InboxType.OUTLOOK_365: 5_000,
    InboxType.CUSTOM_SMTP: 100_000,
    InboxType.COLDSEND: 100_000,
}


class InboxStatus(StrEnum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    DISABLED = "DISABLED"


class AuthType(StrEnum):
    """How an inbox logs in: its passwords, OAuth2 tokens, or neither (NATIVE: SES sends)."""

    PASSWORD = "PASSWORD"  # noqa: S105 - a kind of login, not a secret
    OAUTH2 = "OAUTH2"
    NATIVE = "NATIVE"


class DomainStatus(StrEnum):
    PENDING = "PENDING"
    DNS_PENDING = "DNS_PENDING"
    ACTIVE = "ACTIVE"
    FAILED = "FAILED"


class JobType(StrEnum):
    BULK_SMTP_CREATE = "BULK_SMTP_CREATE"
    BULK_DELETE = "BULK_DELETE"
    BULK_CHECK = "BULK_CHECK"
    BULK_WARMUP = "BULK_WARMUP"


class JobStatus(StrEnum):
    """A job's status, the same for every kind of job."""

    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


class RowStatus(StrEnum):
    """The status of a bulk creation row (and of a row of the native inboxes' bulk answer)."""

    PENDING = "PENDING"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"


class StoredRowStatus(StrEnum):
    """What any job's row may hold: each kind of job shows its own subset (RowStatus,
    bulk/models.py's DeleteRowStatus, health/models.py's CheckRowStatus)."""

    PENDING = "PENDING"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    DELETED = "DELETED"
    SKIPPED = "SKIPPED"
    HEALTHY = "HEALTHY"
    UNHEALTHY = "UNHEALTHY"


class WarmupStatus(StrEnum):
    """Where an inbox's warm-up stands (GET .../warmup). INACTIVE: not enabled; PAUSED_BY_SAFETY:
    stopped by a bounce, an authentication failure or the inbox turning DISABLED (the user
    re-enables it once the inbox is ACTIVE); SPAM_FOLDER_UNKNOWN: running, but its mailbox shows
    no spam folder, so placements are counted from the inbox only."""

    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    PAUSED_BY_SAFETY = "PAUSED_BY_SAFETY"
    SPAM_FOLDER_UNKNOWN = "SPAM_FOLDER_UNKNOWN"
