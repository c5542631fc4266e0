"""Putting a bulk job's rows on its queue, and saying so on the job when that fails; the
202 that accepts a job."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.adapters.observability import logger
from sender_accounts.bulk.models import BulkJobAccepted
from sender_accounts.common.statuses import JobStatus
from sender_accounts.errors import DependencyUnavailable
from sender_accounts.store.bulk_jobs import expiry
from sender_accounts.store.ports import BulkJobs

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
