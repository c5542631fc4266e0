"""Bulk deletion: up to 100 ids, confirmed, deleted asynchronously through SQS, once each."""

from __future__ import annotations

import uuid
from typing import Any

from sender_accounts.adapters.observability import metrics
from sender_accounts.adapters.ports import EventBus
from sender_accounts.bulk.completion import finish_jobs
from sender_accounts.bulk.enqueueing import enqueue_rows, id_rows, job_accepted
from sender_accounts.bulk.models import (
    BulkDeleteProgress,
    BulkDeleteRequest,
    BulkJobAccepted,
)
from sender_accounts.bulk.progress import read_job
from sender_accounts.common.clock import utc_now
from sender_accounts.common.events import LifecycleEvent, SenderAccountDeleted
from sender_accounts.common.model import Model
from sender_accounts.common.statuses import JobType, StoredRowStatus
from sender_accounts.errors import ConfirmationRequired, NotFound
from sender_accounts.store.bulk_jobs import RowOutcome, expiry
from sender_accounts.store.ports import BulkJobs, Inboxes
from sender_accounts.store.records import JobRecord, RowDecision, RowRecord

JOB_TYPE = JobType.BULK_DELETE
NOT_IN_WORKSPACE = "No sender account with this id in the workspace"


class DeleteRowMessage(Model):
    job_id: str
    workspace_id: str
    row: int
    inbox_id: str


class BulkDeleteService:
    def __init__(
        self,
        jobs: BulkJobs,
        accounts: Inboxes,
        sqs: Any,
        queue_url: str,
        events: EventBus,
    ) -> None:
        self._jobs = jobs
        self._accounts = accounts
        self._sqs = sqs
        self._queue_url = queue_url
        self._events = events

    def create_job(self, workspace_id: str, request: BulkDeleteRequest) -> BulkJobAccepted:
        if not request.confirm_deletion:
            raise ConfirmationRequired()
        job_id, now = str(uuid.uuid4()), utc_now()
        rows = id_rows(request.inbox_ids)
        queued = [r for r in rows if r["status"] == "PENDING"]
        skipped_now = len(rows) - len(queued)
        job = {
            "job_id": job_id,
            "job_type": JOB_TYPE,
            "workspace_id": workspace_id,
            "status": "PENDING",
            "total_rows": len(rows),
            "processed_count": skipped_now,
            "deleted_count": 0,
            "skipped_count": skipped_now,
            "failed_count": 0,
            "created_at": now,
            "expires_at": expiry(),
        }
        self._jobs.create(
            JobRecord.model_validate(job), [RowRecord.model_validate(r) for r in rows]
        )
        bodies = [
            (
                r["row"],
                DeleteRowMessage(
                    job_id=job_id, workspace_id=workspace_id, row=r["row"], inbox_id=r["inbox_id"]
                ).model_dump_json(),
            )
            for r in queued
        ]
        enqueue_rows(self._sqs, self._queue_url, self._jobs, job_id, bodies, now)
        metrics.add_metric(name="BulkDeleteJobsAccepted", unit="Count", value=1)
        return job_accepted("delete", job_id, rows, len(queued))

    def finish_batch(self, job_ids: set[str], outbox: list[LifecycleEvent]) -> None:
        """After a batch: its events out, then the jobs whose every row is counted completed."""
        finish_jobs(self._jobs, self._events, job_ids, outbox)

    def process(self, message: DeleteRowMessage, outbox: list[LifecycleEvent]) -> None:
        """Delete one row's inbox, or skip it when the workspace has no such id; once."""
        try:
            inbox = self._accounts.get_inbox(message.workspace_id, message.inbox_id)
        except NotFound:
            inbox = None
        if inbox is not None:
            outcome = self._jobs.delete_inbox_row(
                message.workspace_id, message.job_id, message.row, inbox
            )
            if outcome is RowOutcome.DONE:
                outbox.append(
                    SenderAccountDeleted(
                        workspace_id=message.workspace_id,
                        inbox_id=message.inbox_id,
                        email_address=inbox.email_address,
                        old_status=inbox.overall_status,
                        job_id=message.job_id,
                    )
                )
                return
            if outcome is RowOutcome.ALREADY_DONE:
                return
        skipped = RowDecision(status=StoredRowStatus.SKIPPED, error=NOT_IN_WORKSPACE)
        self._jobs.decide_row(message.job_id, message.row, skipped, "skipped_count")

    def progress(self, workspace_id: str, job_id: str) -> BulkDeleteProgress:
        return read_job(
            self._jobs, self._events, workspace_id, job_id, JOB_TYPE, BulkDeleteProgress
        )
