"""Bulk warm-up: listed inboxes (1-100) or every inbox in one status, warm-up turned on or off
through the bulk warm-up queue, each row once, as a job with progress like the other bulk jobs.
A row changes only `warmup.enabled` (enabling lifts a safety pause), as a PATCH would."""

from __future__ import annotations

from typing import Any

from sender_accounts.accounts.warmup_changes import lifted_pause, merged_settings, warmup_events
from sender_accounts.adapters.observability import metrics
from sender_accounts.adapters.ports import EventBus
from sender_accounts.bulk.completion import finish_jobs
from sender_accounts.bulk.enqueueing import selected_ids, start_job
from sender_accounts.bulk.models import BulkJobAccepted
from sender_accounts.bulk.progress import read_job
from sender_accounts.common.clock import utc_now
from sender_accounts.common.events import LifecycleEvent
from sender_accounts.common.statuses import JobType, StoredRowStatus
from sender_accounts.errors import ConcurrentUpdate, NotFound
from sender_accounts.store.ports import BulkJobs, Inboxes, InboxListing
from sender_accounts.store.records import InboxChanges, RowDecision
from sender_accounts.warmup.models import (
    BulkWarmupProgress,
    BulkWarmupRequest,
    WarmupRowMessage,
)

JOB_TYPE = JobType.BULK_WARMUP
STATUS_JOB_BOUND = 5000
NOT_IN_WORKSPACE = "No sender account with this id in the workspace"


class BulkWarmupService:
    def __init__(
        self,
        jobs: BulkJobs,
        inboxes: Inboxes,
        lists: InboxListing,
        sqs: Any,
        queue_url: str,
        events: EventBus,
    ) -> None:
        self._jobs = jobs
        self._inboxes = inboxes
        self._lists = lists
        self._sqs = sqs
        self._queue_url = queue_url
        self._events = events

    def create_job(self, workspace_id: str, request: BulkWarmupRequest) -> BulkJobAccepted:
        def message(job_id: str, row: int, inbox_id: str) -> str:
            return WarmupRowMessage(
                job_id=job_id,
                workspace_id=workspace_id,
                row=row,
                inbox_id=inbox_id,
                enabled=request.enabled,
            ).model_dump_json()

        status = request.status.value if request.status is not None else None
        ids = selected_ids(self._lists, workspace_id, request.inbox_ids, status, STATUS_JOB_BOUND)
        queue = (self._sqs, self._queue_url)
        counters = {"success_count": 0}
        accepted = start_job(self._jobs, queue, JOB_TYPE, workspace_id, ids, counters, message)
        metrics.add_metric(name="BulkWarmupJobsAccepted", unit="Count", value=1)
        return accepted

    def progress(self, workspace_id: str, job_id: str) -> BulkWarmupProgress:
        return read_job(
            self._jobs, self._events, workspace_id, job_id, JOB_TYPE, BulkWarmupProgress
        )

    def process(self, message: WarmupRowMessage, outbox: list[LifecycleEvent]) -> None:
        """Turn the row's inbox's warm-up on or off, then decide the row (once)."""
        for _attempt in range(3):
            try:
                inbox = self._inboxes.get_inbox(message.workspace_id, message.inbox_id)
            except NotFound:
                skipped = RowDecision(status=StoredRowStatus.SKIPPED, error=NOT_IN_WORKSPACE)
                self._jobs.decide_row(message.job_id, message.row, skipped, "skipped_count")
                return
            settings = merged_settings(inbox, {}, {"enabled": message.enabled})
            changes = {
                "settings": settings,
                **lifted_pause(inbox, settings),
                "updated_at": utc_now(),
            }
            try:
                after = self._inboxes.update_inbox(
                    message.workspace_id, inbox, InboxChanges.model_validate(changes)
                )
            except ConcurrentUpdate:
                continue
            outbox.extend(warmup_events(message.workspace_id, inbox, after))
            done = RowDecision(status=StoredRowStatus.SUCCESS, inbox_id=message.inbox_id)
            self._jobs.decide_row(message.job_id, message.row, done, "success_count")
            return
        raise ConcurrentUpdate()  # the queue retries the row

    def finish_batch(self, job_ids: set[str], outbox: list[LifecycleEvent]) -> None:
        finish_jobs(self._jobs, self._events, job_ids, outbox)
