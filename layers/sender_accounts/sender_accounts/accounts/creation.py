"""Creating an inbox, written once for every way one is made (SMTP, OAuth2, native, bulk rows):
what a failed connection validation does, the store's write (uniqueness, record, counters,
indexes in one transaction), the metric, the one `SenderAccountCreated` payload, and the 201.
Each way brings only what differs: how the record is built and what was validated."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sender_accounts.accounts.models import (
    CreateAccountResponse,
    InboxStatus,
    InboxType,
    ValidationFailurePolicy,
)
from sender_accounts.accounts.warmup_changes import warmup_events
from sender_accounts.adapters.observability import logger, metrics
from sender_accounts.adapters.ports import EventBus
from sender_accounts.common.events import SenderAccountCreated
from sender_accounts.common.statuses import AuthType
from sender_accounts.errors import ConnectionValidationFailed
from sender_accounts.mail.outcome import StageFailure, failure_body
from sender_accounts.store.ports import Inboxes
from sender_accounts.store.records import InboxRecord

Answer = TypeVar("Answer", bound=CreateAccountResponse)


def created_event(
    workspace_id: str, record: InboxRecord, job_id: str | None = None
) -> SenderAccountCreated:
    """The one SenderAccountCreated, whoever created the inbox."""
    auth_type = record.auth_type or (AuthType.NATIVE if record.domain_id else AuthType.PASSWORD)
    return SenderAccountCreated(
        workspace_id=workspace_id,
        inbox_id=record.inbox_id,
        email_address=record.email_address,
        inbox_type=record.inbox_type,
        status=record.overall_status,
        auth_type=auth_type,
        job_id=job_id,
    )


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
) -> InboxRecord:
    """Write the inbox (DuplicateAddress when the workspace has its address), then say so; the
    inbox as stored (its integer account id given)."""
    stored = inboxes.create_inbox(workspace_id, record)
    metrics.add_metric(name="SenderAccountsCreated", unit="Count", value=1)
    events.publish_all(
        [created_event(workspace_id, record), *warmup_events(workspace_id, None, record)]
    )
    return stored


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
