"""Checks through the health queue: bulk check jobs (listed ids, or every inbox in one status,
SmartLead's "reconnect failed accounts") and the inboxes a scheduled sweep found due.

A job's row is decided once (store/bulk_jobs.py); the check itself may run again when a
message is redelivered, which changes nothing its conditional write does not allow.
"""

from __future__ import annotations

from typing import Any

from sender_accounts.adapters.observability import metrics
from sender_accounts.adapters.ports import EventBus
from sender_accounts.bulk.completion import finish_jobs
from sender_accounts.bulk.enqueueing import selected_ids, start_job
from sender_accounts.bulk.models import BulkJobAccepted
from sender_accounts.bulk.progress import read_job
from sender_accounts.common.statuses import JobType, StoredRowStatus
from sender_accounts.errors import NotFound
from sender_accounts.health.health_check import HealthCheckService
from sender_accounts.health.models import (
    BulkCheckProgress,
    BulkCheckRequest,
    HealthCheckMessage,
)
from sender_accounts.store.ports import BulkJobs, InboxListing
from sender_accounts.store.records import RowDecision

JOB_TYPE = JobType.BULK_CHECK
# A job by status covers at most this many inboxes (the oldest first); more is refused.
STATUS_JOB_BOUND = 5000
NOT_IN_WORKSPACE = "No sender account with this id in the workspace"


class BulkCheckService:
    def __init__(
        self,
        jobs: BulkJobs,
        lists: InboxListing,
        sqs: Any,
        queue_url: str,
        events: EventBus,
    ) -> None:
        self._jobs = jobs
        self._lists = lists
        self._sqs = sqs
        self._queue_url = queue_url
        self._events = events

    def _ids(self, workspace_id: str, request: BulkCheckRequest) -> list[str]:
        status = request.status.value if request.status is not None else None
        return selected_ids(self._lists, workspace_id, request.inbox_ids, status, STATUS_JOB_BOUND)

    def create_job(self, workspace_id: str, request: BulkCheckRequest) -> BulkJobAccepted:
        def message(job_id: str, row: int, inbox_id: str) -> str:
            return HealthCheckMessage(
                workspace_id=workspace_id, inbox_id=inbox_id, job_id=job_id, row=row
            ).model_dump_json(exclude_none=True)

        counters = {"healthy_count": 0, "unhealthy_count": 0}
        ids = self._ids(workspace_id, request)
        queue = (self._sqs, self._queue_url)
        accepted = start_job(self._jobs, queue, JOB_TYPE, workspace_id, ids, counters, message)
        metrics.add_metric(name="BulkCheckJobsAccepted", unit="Count", value=1)
        return accepted

    def progress(self, workspace_id: str, job_id: str) -> BulkCheckProgress:
        return read_job(self._jobs, self._events, workspace_id, job_id, JOB_TYPE, BulkCheckProgress)


class HealthCheckWorker:
    """The health queue's consumer: one inbox checked per message, a job's row decided once."""

    def __init__(self, checks: HealthCheckService, jobs: BulkJobs, events: EventBus) -> None:
        self._checks = checks
        self._jobs = jobs
        self._events = events

    def process(self, message: HealthCheckMessage) -> None:
        """Check the inbox; CapacityExceeded (the consumer puts the message back for later) and
        any dependency failure (retried) leave its row pending."""
        try:
            answer = self._checks.check(message.workspace_id, message.inbox_id, queued=True)
        except NotFound:
            skipped = RowDecision(status=StoredRowStatus.SKIPPED, error=NOT_IN_WORKSPACE)
            self._decide(message, skipped, "skipped")
            return
        metrics.add_metric(name="HealthChecks", unit="Count", value=1)
        failed = [p for p in (answer.smtp, answer.imap) if p and p.ok is False]
        decision = RowDecision(
            status=StoredRowStatus.UNHEALTHY if failed else StoredRowStatus.HEALTHY,
            overall_status=answer.overall_status,
            health_score=answer.health_score,
        )
        if failed:
            decision.error_code = failed[0].error_code or "CHECK_FAILED"
            decision.error = failed[0].detail or ""
        self._decide(message, decision, "unhealthy" if failed else "healthy")

    def _decide(self, message: HealthCheckMessage, decision: RowDecision, counter: str) -> None:
        if message.job_id is not None and message.row is not None:
            self._jobs.decide_row(message.job_id, message.row, decision, f"{counter}_count")

    def finish_batch(self, job_ids: set[str]) -> None:
        finish_jobs(self._jobs, self._events, job_ids, [])
