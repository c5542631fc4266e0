"""Ending bulk jobs: a batch's events out and its finished jobs completed, a stale job finished,
a row that exhausted its retries given up (dead letters)."""

from __future__ import annotations

from sender_accounts.adapters.observability import logger, metrics
from sender_accounts.adapters.ports import EventBus
from sender_accounts.common.clock import utc_now
from sender_accounts.common.events import BulkJobCompleted, LifecycleEvent
from sender_accounts.common.model import Model
from sender_accounts.store.ports import BulkJobs
from sender_accounts.store.records import JobRecord

PROCESSING_FAILED_MESSAGE = "The item could not be processed after its retries"


def publish_job_completed(events: EventBus, job: JobRecord) -> None:
    events.publish(
        BulkJobCompleted(
            workspace_id=job.workspace_id,
            job_id=job.job_id,
            job_type=job.job_type,
            status=job.status,
            total_rows=job.total_rows,
            **job.counters(),
        )
    )


def finish_stale_job(jobs: BulkJobs, events: EventBus, job: JobRecord, now: str) -> JobRecord:
    """A job whose every row is counted but whose finishing write was lost (a crash after the
    last row) is finished when read, so no job stays in progress for ever."""
    if job.status in {"PENDING", "PROCESSING"} and job.processed_count >= job.total_rows:
        finished = jobs.finish_if_done(job.job_id, now)
        if finished is not None:
            publish_job_completed(events, finished)
            return finished
    return job


class RowReference(Model):
    """The part of any bulk message a dead letter needs: which row of which job."""

    job_id: str
    row: int


class DeadLetters:
    """Rows whose message exhausted its retries fail, so every job completes."""

    def __init__(self, jobs: BulkJobs, events: EventBus) -> None:
        self._jobs = jobs
        self._events = events

    def give_up(self, reference: RowReference) -> None:
        give_up(self._jobs, self._events, reference)


def give_up(jobs: BulkJobs, events: EventBus, ref: RowReference) -> None:
    """A message that exhausted its receives: its row fails, so the job still completes."""
    if jobs.complete_row_failure(
        ref.job_id, ref.row, "PROCESSING_FAILED", PROCESSING_FAILED_MESSAGE
    ):
        logger.warning(
            "bulk row failed after its retries", extra={"job_id": ref.job_id, "row": ref.row}
        )
    finished = jobs.finish_if_done(ref.job_id, utc_now())
    if finished is not None:
        publish_job_completed(events, finished)


def finish_jobs(
    jobs: BulkJobs,
    events: EventBus,
    job_ids: set[str],
    outbox: list[LifecycleEvent],
) -> None:
    """After a batch: publish its events, then complete the jobs whose every row is counted."""
    events.publish_all(outbox)
    now = utc_now()
    for job_id in job_ids:
        job = jobs.finish_if_done(job_id, now)
        if job is not None:
            metrics.add_metric(name="BulkJobsCompleted", unit="Count", value=1)
            publish_job_completed(events, job)
