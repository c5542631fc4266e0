"""Creating an inbox, written once for every way one is made (SMTP, OAuth2, native, bulk rows):
what a failed connection validation does, the store's write (uniqueness, record, counters,
indexes in one transaction), the metric, the one `SenderAccountCreated` payload, and the 201.
Each way brings only what differs: how the record is built and what was validated."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sender_accounts.accounts.models import (
    CreateAccountResponse,
    InboxStatus,
    InboxType,
    ValidationFailurePolicy,
)
from sender_accounts.adapters.observability import logger, metrics
from sender_accounts.adapters.ports import EventBus
from sender_accounts.common.model import Model
from sender_accounts.errors import ConnectionValidationFailed
from sender_accounts.mail.outcome import StageFailure, failure_body
from sender_accounts.store.ports import Inboxes
from sender_accounts.store.records import InboxRecord

CREATED = "SenderAccountCreated"
Answer = TypeVar("Answer", bound=CreateAccountResponse)


class SenderAccountCreated(Model):
    """The event's detail, whoever created the inbox (EventBridge adds `occurred_at`)."""

    workspace_id: str
    inbox_id: str
    email_address: str
    inbox_type: str
    status: str
    auth_type: str  # PASSWORD, OAUTH2, or NATIVE (SES sends for it)
    job_id: str | None = None  # the bulk job that created it


def created_event(
    workspace_id: str, record: InboxRecord, job_id: str | None = None
) -> tuple[str, dict[str, Any]]:
    auth_type = record.auth_type or ("NATIVE" if record.domain_id else "PASSWORD")
    detail = SenderAccountCreated(
        workspace_id=workspace_id,
        inbox_id=record.inbox_id,
        email_address=record.email_address,
        inbox_type=record.inbox_type,
        status=record.overall_status,
        auth_type=auth_type,
        job_id=job_id,
    )
    return CREATED, detail.model_dump(exclude_none=True)


def judge_validation(failures: list[StageFailure], policy: ValidationFailurePolicy) -> None:
    """Count the validation; refuse the creation when it failed and the request says reject."""
    metrics.add_metric(name="ConnectionValidations", unit="Count", value=1)
    if not failures:
        return
    metrics.add_metric(name="ConnectionValidationFailures", unit="Count", value=1)
    codes = [failure.error_code.value for failure in failures]
    logger.info("connection validation failed", extra={"error_codes": codes})
    if policy is ValidationFailurePolicy.REJECT:
        raise ConnectionValidationFailed(failure_body(failures))


def store_new_inbox(
    inboxes: Inboxes, events: EventBus, workspace_id: str, record: InboxRecord
) -> None:
    """Write the inbox (DuplicateAddress when the workspace has its address), then say so."""
    inboxes.create_inbox(workspace_id, record)
    metrics.add_metric(name="SenderAccountsCreated", unit="Count", value=1)
    events.publish(*created_event(workspace_id, record))


def created_answer(
    record: InboxRecord,
    message: str,
    answer: type[Answer] = CreateAccountResponse,  # type: ignore[assignment]
) -> Answer:
    """The 201, from what was stored."""
    return answer(
        message=message,
        inbox_id=record.inbox_id,
        email_address=record.email_address,
        display_name=record.display_name,
        inbox_type=InboxType(record.inbox_type),
        daily_limit=record.daily_limit,
        overall_status=InboxStatus(record.overall_status),
        created_at=datetime.fromisoformat(record.created_at),
        connection_errors=record.connection_errors or None,
    )
