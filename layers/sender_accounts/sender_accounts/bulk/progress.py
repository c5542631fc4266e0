"""A bulk job's progress as the contract shows it: status, percentage, counters, rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sender_accounts.adapters.ports import EventBus
from sender_accounts.bulk.completion import finish_stale_job
from sender_accounts.bulk.job_progress import JobProgress
from sender_accounts.common.clock import utc_now
from sender_accounts.common.statuses import JobStatus, JobType
from sender_accounts.store.ports import BulkJobs
from sender_accounts.store.records import JobRecord, RowRecord

Progress = TypeVar("Progress", bound=JobProgress)


def shown_status(job: JobRecord) -> JobStatus:
    """A job is processing from its first counted row on (stamped by that row's write)."""
    if job.status is JobStatus.PENDING and job.started_at:
        return JobStatus.PROCESSING
    return job.status


def percentage(job: JobRecord) -> float:
    total = job.total_rows
    return round(100.0 * job.processed_count / total, 1) if total else 100.0


def when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def read_job(
    jobs: BulkJobs,
    events: EventBus,
    workspace_id: str,
    job_id: str,
    job_type: JobType,
    answer: type[Progress],
    shown: Callable[[RowRecord], RowRecord] = lambda row: row,
) -> Progress:
    """A job's progress as the contract shows it, its counters included and its rows in order
    (each as `shown` presents it); NotFound for another workspace's job or another kind."""
    job = finish_stale_job(jobs, events, jobs.get_job(workspace_id, job_id, job_type), utc_now())
    rows = sorted(jobs.rows(job_id), key=lambda r: r.row)
    progress = JobProgress(
        job_id=job_id,
        status=shown_status(job),
        progress_percentage=percentage(job),
        total_rows=job.total_rows,
        processed_count=job.processed_count,
        created_at=datetime.fromisoformat(job.created_at),
        started_at=when(job.started_at),
        completed_at=when(job.completed_at),
    )
    return answer.model_validate(
        {**dict(progress), **job.counters(), "results": [shown(r).item() for r in rows]}
    )
