"""Bulk SMTP creation, the asynchronous half: one queued row validated and decided, once."""

from __future__ import annotations

import asyncio

from sender_accounts.accounts.connection_capacity import ConnectionCapacity, Purpose
from sender_accounts.accounts.connection_validation import ConnectionValidator, validate_connection
from sender_accounts.accounts.creation import created_event
from sender_accounts.accounts.models import CreateSmtpAccountRequest, ValidationFailurePolicy
from sender_accounts.accounts.records import logins_for, new_inbox_record, with_detected_modes
from sender_accounts.adapters.observability import metrics
from sender_accounts.adapters.ports import EventBus, SecretVault
from sender_accounts.bulk.completion import finish_jobs
from sender_accounts.common.clock import utc_now
from sender_accounts.common.events import LifecycleEvent
from sender_accounts.config import Settings
from sender_accounts.store.bulk_jobs import BulkItemMessage, RowOutcome
from sender_accounts.store.ports import BulkJobs


class BulkValidator:
    def __init__(
        self,
        jobs: BulkJobs,
        vault: SecretVault,
        events: EventBus,
        settings: Settings,
        validator: ConnectionValidator,
        capacity: ConnectionCapacity | None,
    ) -> None:
        """`validator`: `real_validation` in production; `capacity`: the bounds on mail
        connections (None, said explicitly: unbounded)."""
        self._validator = validator
        self._capacity = capacity
        self._jobs = jobs
        self._vault = vault
        self._events = events
        self._settings = settings

    def finish_batch(self, job_ids: set[str], outbox: list[LifecycleEvent]) -> None:
        """After a batch: its events out, then the jobs whose every row is counted completed."""
        finish_jobs(self._jobs, self._events, job_ids, outbox)

    async def process(self, message: BulkItemMessage, outbox: list[LifecycleEvent]) -> None:
        """Validate one row and record the outcome; a redelivered message changes nothing.

        Events go to `outbox`, published together when the batch ends (one call per ten)."""
        inbox_id = message.inbox_id
        ciphertext = message.ciphertext()
        passwords = await asyncio.to_thread(
            self._vault.open, ciphertext, message.workspace_id, inbox_id
        )
        request = CreateSmtpAccountRequest.model_validate(
            {**message.request, "smtp_password": passwords.smtp, "imap_password": passwords.imap}
        )
        smtp, imap = logins_for(request)
        admission = (
            self._capacity.admission(message.workspace_id, Purpose.VALIDATION, queued=True)
            if self._capacity is not None
            else None
        )
        # Over a bound, CapacityExceeded: the consumer puts the row back for later, unchanged.
        failures = await validate_connection(smtp, imap, self._settings, self._validator, admission)
        request = with_detected_modes(request, smtp, imap)
        if failures and request.on_validation_failure is ValidationFailurePolicy.REJECT:
            first = failures[0]
            await asyncio.to_thread(
                self._jobs.complete_row_failure,
                message.job_id,
                message.row,
                first.error_code.value,
                first.detail,
            )
            return
        record = new_inbox_record(inbox_id, request, failures, ciphertext, utc_now())
        outcome = await asyncio.to_thread(
            self._jobs.complete_row_success,
            message.workspace_id,
            message.job_id,
            message.row,
            record,
        )
        if outcome is RowOutcome.EFFECT_REFUSED:  # the address exists
            await asyncio.to_thread(
                self._jobs.complete_row_failure,
                message.job_id,
                message.row,
                "DUPLICATE",
                f"A sender account with address {request.email_address} already exists",
            )
        elif outcome is RowOutcome.DONE:
            metrics.add_metric(name="SenderAccountsCreated", unit="Count", value=1)
            outbox.append(created_event(message.workspace_id, record, message.job_id))
