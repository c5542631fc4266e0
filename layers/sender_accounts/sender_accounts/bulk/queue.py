"""Putting a bulk job's rows on its queue, and saying so on the job when that fails."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.adapters.events import EventPublisher
from sender_accounts.adapters.observability import logger, metrics
from sender_accounts.bulk.models import BulkJobAccepted
from sender_accounts.common.clock import utc_now
from sender_accounts.common.job_status import JobStatus
from sender_accounts.common.model import Model
from sender_accounts.errors import DependencyUnavailable
from sender_accounts.store.bulk_jobs import BulkJobRepository, expiry
from sender_accounts.store.records import JobRecord

SQS_BATCH = 10


def enqueue_rows(
    sqs: Any,
    queue_url: str,
    jobs: BulkJobRepository,
    job_id: str,
    bodies: list[tuple[int, str]],
    now: str,
) -> None:
    """One message per row, ten a call, failed entries retried; if the rows cannot all be
    queued the job is marked FAILED (it cannot run as a whole) and the caller answers 503."""
    try:
        for start in range(0, len(bodies), SQS_BATCH):
            entries = [
                {"Id": str(row), "MessageBody": body}
                for row, body in bodies[start : start + SQS_BATCH]
            ]
            for _attempt in range(3):
                response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
                failed = {f["Id"] for f in response.get("Failed", [])}
                entries = [e for e in entries if e["Id"] in failed]
                if not entries:
                    break
            if entries:
                raise DependencyUnavailable("SQS", "send_message_batch: failed entries")
    except (ClientError, BotoCoreError, DependencyUnavailable) as exc:
        logger.warning("bulk job could not be queued", extra={"job_id": job_id})
        jobs.mark_failed(job_id, now)
        if isinstance(exc, DependencyUnavailable):
            raise
        raise DependencyUnavailable("SQS", type(exc).__name__) from None


def id_rows(inbox_ids: list[str]) -> list[dict[str, Any]]:
    """A job's rows for listed ids: PENDING each, SKIPPED where the id was listed before (the
    answer names those: repeated_ids)."""
    first_row: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for index, inbox_id in enumerate(inbox_ids):
        row: dict[str, Any] = {"row": index, "inbox_id": inbox_id, "status": "PENDING"}
        if first_row.setdefault(inbox_id, index) != index:
            row.update(status="SKIPPED", error=f"Listed before, in row {first_row[inbox_id]}")
        rows.append({**row, "expires_at": expiry()})
    return rows


def repeated_ids(rows: list[dict[str, Any]]) -> list[str]:
    """What a job's answer says of the ids it skipped because the request listed them before."""
    return [
        f"inbox_ids[{r['row']}] repeats an earlier id ({r['error'].lower()}): skipped"
        for r in rows
        if r["status"] == "SKIPPED"
    ]


def job_accepted(
    what: str, job_id: str, rows: list[dict[str, Any]], queued: int
) -> BulkJobAccepted:
    """The 202 answer of a job over listed ids, naming the ids it skipped as repeated."""
    accepted = BulkJobAccepted(
        message=f"Bulk {what} accepted: {queued} of {len(rows)} rows queued",
        job_id=job_id,
        status=JobStatus.PENDING,
        total_rows=len(rows),
    )
    accepted.warnings = repeated_ids(rows) or None
    return accepted


def publish_job_completed(events: EventPublisher, job: JobRecord) -> None:
    detail: dict[str, Any] = {
        "workspace_id": job.workspace_id,
        "job_id": job.job_id,
        "job_type": job.job_type,
        "status": job.status,
        "total_rows": job.total_rows,
    }
    detail.update(job.counters())
    events.publish("BulkJobCompleted", detail)


def finish_stale_job(
    jobs: BulkJobRepository, events: EventPublisher, job: JobRecord, now: str
) -> JobRecord:
    """A job whose every row is counted but whose finishing write was lost (a crash after the
    last row) is finished when read, so no job stays in progress for ever."""
    if job.status in {"PENDING", "PROCESSING"} and job.processed_count >= job.total_rows:
        finished = jobs.finish_if_done(job.job_id, now)
        if finished is not None:
            publish_job_completed(events, finished)
            return finished
    return job


def shown_status(job: JobRecord) -> str:
    """A job is processing from its first counted row on (stamped by that row's write)."""
    if job.status == "PENDING" and job.started_at:
        return "PROCESSING"
    return job.status


def percentage(job: JobRecord) -> float:
    total = job.total_rows
    return round(100.0 * job.processed_count / total, 1) if total else 100.0


def when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


PROCESSING_FAILED_MESSAGE = "The item could not be processed after its retries"


class RowReference(Model):
    """The part of any bulk message a dead letter needs: which row of which job."""

    job_id: str
    row: int


class DeadLetters:
    """Rows whose message exhausted its retries fail, so every job completes."""

    def __init__(self, jobs: BulkJobRepository, events: EventPublisher) -> None:
        self._jobs = jobs
        self._events = events

    def give_up(self, reference: RowReference) -> None:
        give_up(self._jobs, self._events, reference)


def give_up(jobs: BulkJobRepository, events: EventPublisher, ref: RowReference) -> None:
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
    jobs: BulkJobRepository,
    events: EventPublisher,
    job_ids: set[str],
    outbox: list[tuple[str, dict[str, Any]]],
) -> None:
    """After a batch: publish its events, then complete the jobs whose every row is counted."""
    events.publish_all(outbox)
    now = utc_now()
    for job_id in job_ids:
        job = jobs.finish_if_done(job_id, now)
        if job is not None:
            metrics.add_metric(name="BulkJobsCompleted", unit="Count", value=1)
            publish_job_completed(events, job)


def read_job(
    jobs: BulkJobRepository, events: EventPublisher, workspace_id: str, job_id: str, job_type: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A job's progress fields as the contract shows them (its counters included) and its rows
    in order; NotFound for another workspace's job or another kind of job."""
    job = finish_stale_job(jobs, events, jobs.get_job(workspace_id, job_id, job_type), utc_now())
    fields: dict[str, Any] = {
        "job_id": job_id,
        "status": shown_status(job),
        "progress_percentage": percentage(job),
        "total_rows": job.total_rows,
        "processed_count": job.processed_count,
        "created_at": datetime.fromisoformat(job.created_at),
        "started_at": when(job.started_at),
        "completed_at": when(job.completed_at),
        **job.counters(),
    }
    rows = sorted(jobs.rows(job_id), key=lambda r: r.row)
    return fields, [row.model_dump(exclude_none=True) for row in rows]
