"""The lifecycle events integrators receive on the stack's EventBridge bus, one model each: the
detail type is the class name, the detail its fields (a field without a value is absent;
`occurred_at` is added when published). Never a secret. docs/events.md lists them."""

from __future__ import annotations

from typing import Any, Literal

from sender_accounts.common.job_counters import JobCounters
from sender_accounts.common.model import Model
from sender_accounts.common.statuses import (
    AuthType,
    DomainStatus,
    InboxStatus,
    InboxType,
    JobStatus,
    JobType,
)


class LifecycleEvent(Model):
    workspace_id: str

    @property
    def detail_type(self) -> str:
        return type(self).__name__

    def event_detail(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class SenderAccountEvent(LifecycleEvent):
    inbox_id: str
    email_address: str


class SenderAccountCreated(SenderAccountEvent):
    """Whoever created it: a request, a bulk job (`job_id`), an OAuth2 consent, a native
    inbox (auth_type NATIVE: SES sends for it)."""

    inbox_type: InboxType
    status: InboxStatus
    auth_type: AuthType
    job_id: str | None = None


class SenderAccountDeleted(SenderAccountEvent):
    old_status: InboxStatus
    job_id: str | None = None  # the bulk job that deleted it


class SenderAccountUpdated(SenderAccountEvent):
    changed_fields: list[str]  # names only: a changed secret is named, never shown


class SenderAccountStatusChanged(SenderAccountEvent):
    old_status: InboxStatus
    new_status: InboxStatus
    reason: Literal["HEALTH_CHECK", "UPDATE"]


class SenderAccountDisconnected(SenderAccountEvent):
    """A health check turned the inbox DISABLED; the failure that did it. `account_id` is the
    inbox's integer id (SmartLead's), for webhooks in SmartLead's format."""

    consecutive_failures: int
    stage: str
    error_code: str
    detail: str
    server_reply: str | None = None
    account_id: int | None = None


class SenderAccountReconnected(SenderAccountEvent):
    """A health check found a DISABLED inbox working again."""


class SenderAccountHealthChanged(SenderAccountEvent):
    old_score: float
    new_score: float
    thresholds_crossed: list[int]
    direction: Literal["up", "down"]


class DomainStatusChanged(LifecycleEvent):
    domain_id: str
    domain: str
    old_status: DomainStatus | None = None  # none when the domain is new
    new_status: DomainStatus | Literal["DELETED"]


class BulkJobCompleted(LifecycleEvent, JobCounters):
    job_id: str
    job_type: JobType
    status: JobStatus
    total_rows: int


class WarmupStarted(SenderAccountEvent):
    """Warm-up began (day 1 starts now): enabled on an ACTIVE inbox."""


class WarmupPaused(SenderAccountEvent):
    """Warm-up stopped: `USER` (turned off), `BOUNCE` (one of its warm-up emails bounced),
    `RECIPIENT_BOUNCED` (mail to it bounced: it left the pool), `AUTH_FAILED` (its SMTP or IMAP
    login failed), `INBOX_DISABLED` (health made it DISABLED)."""

    reason: Literal["USER", "BOUNCE", "RECIPIENT_BOUNCED", "AUTH_FAILED", "INBOX_DISABLED"]


class WarmupResumed(SenderAccountEvent):
    """Warm-up enabled again after a pause (a new warm-up: day 1 starts now)."""


class WebhookDisabled(LifecycleEvent):
    """The product turned a webhook off: `GONE` (its endpoint answered 410) or `FAILING` (every
    delivery failed for 3 days)."""

    webhook_id: str
    reason: Literal["GONE", "FAILING"]
