"""Putting a bulk job's rows on its queue, and saying so on the job when that fails; the
202 that accepts a job."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.adapters.observability import logger
from sender_accounts.bulk.models import BulkJobAccepted
from sender_accounts.common.clock import utc_now
from sender_accounts.common.statuses import JobStatus, JobType
from sender_accounts.errors import DependencyUnavailable, FieldRuleViolated
from sender_accounts.store.bulk_jobs import expiry
from sender_accounts.store.inbox_lists import ListSpec
from sender_accounts.store.list_index import choose_index
from sender_accounts.store.ports import BulkJobs, InboxListing
from sender_accounts.store.records import JobRecord, RowRecord

SQS_BATCH = 10


def enqueue_rows(
    sqs: Any,
    queue_url: str,
    jobs: BulkJobs,
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


def selected_ids(
    lists: InboxListing,
    workspace_id: str,
    inbox_ids: list[str] | None,
    status: str | None,
    bound: int,
) -> list[str]:
    """A bulk job's inboxes: the listed ids, or every inbox in `status` (oldest first, at most
    `bound`; more is refused with a hint to list ids)."""
    if (inbox_ids is None) == (status is None):
        raise FieldRuleViolated("inbox_ids", "give either inbox_ids or status, not both")
    if inbox_ids is not None:
        return list(inbox_ids)
    assert status is not None
    index = choose_index(workspace_id, None, status, "created_at")
    ids = lists.inbox_ids(ListSpec(index, forward=True), bound + 1)
    if len(ids) > bound:
        raise FieldRuleViolated(
            "status", f"more than {bound} inboxes are {status}: send them in batches with inbox_ids"
        )
    return ids


def start_job(
    jobs: BulkJobs,
    queue: tuple[Any, str],
    job_type: JobType,
    workspace_id: str,
    ids: list[str],
    counters: dict[str, int],
    message: Callable[[str, int, str], str],
) -> BulkJobAccepted:
    """A job over listed ids: its record and rows stored, one message a pending row on the
    queue (`queue`: the SQS client and URL; `message(job_id, row, inbox_id)`: its body), the
    202 answer. `counters`: the job's own counters at zero (skipped and failed are added)."""
    job_id, now = str(uuid.uuid4()), utc_now()
    rows = id_rows(ids)
    queued = [r for r in rows if r["status"] == "PENDING"]
    skipped = len(rows) - len(queued)
    job = JobRecord.model_validate(
        {
            "job_id": job_id,
            "job_type": job_type,
            "workspace_id": workspace_id,
            "status": JobStatus.PENDING,  # a job with nothing queued completes when first read
            "total_rows": len(rows),
            "processed_count": skipped,
            "skipped_count": skipped,
            "failed_count": 0,
            "created_at": now,
            "expires_at": expiry(),
            **counters,
        }
    )
    jobs.create(job, [RowRecord.model_validate(r) for r in rows])
    bodies = [(r["row"], message(job_id, r["row"], r["inbox_id"])) for r in queued]
    sqs, queue_url = queue
    enqueue_rows(sqs, queue_url, jobs, job_id, bodies, now)
    return job_accepted(job_type.value.removeprefix("BULK_").lower(), job_id, rows, len(queued))
