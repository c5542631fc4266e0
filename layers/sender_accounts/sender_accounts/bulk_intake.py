"""Bulk SMTP creation, the synchronous half: check, encrypt, record, enqueue, answer 202."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .bulk_jobs import BulkItemMessage, BulkJobRepository, expiry
from .errors import DependencyUnavailable
from .events import EventPublisher
from .inbox_records import passwords_of, request_without_secrets, utc_now
from .models import (
    BulkCreateSmtpAccountsRequest,
    BulkJobAccepted,
    BulkJobProgress,
    BulkRowResult,
    JobStatus,
)
from .observability import logger, metrics
from .password_vault import PasswordVault

SQS_BATCH = 10
# KMS calls are network-bound; a small pool keeps 100 encryptions well under a second.
ENCRYPTION_THREADS = 16


class BulkIntakeService:
    def __init__(
        self,
        jobs: BulkJobRepository,
        vault: PasswordVault,
        sqs: Any,
        queue_url: str,
        events: EventPublisher,
    ) -> None:
        self._jobs = jobs
        self._vault = vault
        self._sqs = sqs
        self._queue_url = queue_url
        self._events = events

    def create_job(
        self, workspace_id: str, request: BulkCreateSmtpAccountsRequest
    ) -> BulkJobAccepted:
        job_id = str(uuid.uuid4())
        now = utc_now()
        first_row: dict[str, int] = {}
        for index, item in enumerate(request.inboxes):
            first_row.setdefault(item.email_address.lower(), index)
        taken = self._jobs.addresses_taken(workspace_id, sorted(first_row))
        rows: list[dict[str, Any]] = []
        queued: list[int] = []
        for index, item in enumerate(request.inboxes):
            lower = item.email_address.lower()
            row: dict[str, Any] = {
                "row": index,
                "email_address": item.email_address,
                "status": "PENDING",
                "expires_at": expiry(),
            }
            if first_row[lower] != index:
                row.update(
                    status="FAILED",
                    error_code="DUPLICATE",
                    error=f"The address is repeated in this job (row {first_row[lower]})",
                )
            elif lower in taken:
                row.update(
                    status="FAILED",
                    error_code="DUPLICATE",
                    error=f"A sender account with address {item.email_address} already exists",
                )
            else:
                row["inbox_id"] = str(uuid.uuid4())
                queued.append(index)
            rows.append(row)
        sealed = self._seal_passwords(workspace_id, request, rows, queued)
        failed_now = len(rows) - len(queued)
        job = {
            "job_id": job_id,
            "job_type": "BULK_SMTP_CREATE",
            "workspace_id": workspace_id,
            "status": "PENDING" if queued else "COMPLETED",
            "total_rows": len(rows),
            "processed_count": failed_now,
            "success_count": 0,
            "failed_count": failed_now,
            "created_at": now,
            "expires_at": expiry(),
        }
        if not queued:
            job["completed_at"] = now
        self._jobs.create(job, rows)
        messages = [
            BulkItemMessage.sealed(
                sealed[index],
                job_id=job_id,
                workspace_id=workspace_id,
                row=index,
                inbox_id=rows[index]["inbox_id"],
                request=request_without_secrets(request.inboxes[index]),
            )
            for index in queued
        ]
        self._enqueue(job_id, messages, now)
        metrics.add_metric(name="BulkJobsAccepted", unit="Count", value=1)
        metrics.add_metric(name="BulkRowsQueued", unit="Count", value=len(queued))
        if not queued:
            publish_job_completed(self._events, job)
        return BulkJobAccepted(
            message=f"Bulk job accepted: {len(queued)} of {len(rows)} inboxes queued",
            job_id=job_id,
            status=JobStatus(str(job["status"])),
            total_rows=len(rows),
        )

    def _seal_passwords(
        self,
        workspace_id: str,
        request: BulkCreateSmtpAccountsRequest,
        rows: list[dict[str, Any]],
        queued: list[int],
    ) -> dict[int, bytes]:
        def seal(index: int) -> bytes:
            inbox_id = rows[index]["inbox_id"]
            return self._vault.seal(passwords_of(request.inboxes[index]), workspace_id, inbox_id)

        with ThreadPoolExecutor(max_workers=ENCRYPTION_THREADS) as pool:
            # map re-raises the first failure, before anything is written
            return dict(zip(queued, pool.map(seal, queued), strict=True))

    def _enqueue(self, job_id: str, messages: list[BulkItemMessage], now: str) -> None:
        """One message per row, ten a call; passwords only as KMS ciphertext."""
        try:
            for start in range(0, len(messages), SQS_BATCH):
                entries = [
                    {"Id": str(m.row), "MessageBody": m.to_json()}
                    for m in messages[start : start + SQS_BATCH]
                ]
                for _attempt in range(3):
                    response = self._sqs.send_message_batch(
                        QueueUrl=self._queue_url, Entries=entries
                    )
                    failed = {f["Id"] for f in response.get("Failed", [])}
                    entries = [e for e in entries if e["Id"] in failed]
                    if not entries:
                        break
                if entries:
                    raise DependencyUnavailable("SQS", "send_message_batch: failed entries")
        except (ClientError, BotoCoreError, DependencyUnavailable) as exc:
            # The job cannot run as a whole: say so on the job, and answer 503.
            logger.warning("bulk job could not be queued", extra={"job_id": job_id})
            self._jobs.mark_failed(job_id, now)
            if isinstance(exc, DependencyUnavailable):
                raise
            raise DependencyUnavailable("SQS", type(exc).__name__) from None


def publish_job_completed(events: EventPublisher, job: dict[str, Any]) -> None:
    events.publish(
        "BulkJobCompleted",
        {
            "workspace_id": job["workspace_id"],
            "job_id": job["job_id"],
            "job_type": job.get("job_type", "BULK_SMTP_CREATE"),
            "status": job["status"],
            "total_rows": job["total_rows"],
            "success_count": job["success_count"],
            "failed_count": job["failed_count"],
        },
    )


def job_progress(
    jobs: BulkJobRepository, events: EventPublisher, workspace_id: str, job_id: str
) -> BulkJobProgress:
    """The job as the contract shows it, with per-row results."""
    job = jobs.get_job(workspace_id, job_id)
    if job["status"] in {"PENDING", "PROCESSING"} and job["processed_count"] >= job["total_rows"]:
        # Every row is counted but the finishing write was lost (a crash after the last row):
        # finish it now, so no job stays in progress for ever.
        finished = jobs.finish_if_done(job_id, utc_now())
        if finished is not None:
            publish_job_completed(events, finished)
            job = finished
    rows = sorted(jobs.rows(job_id), key=lambda r: r["row"])
    total = int(job["total_rows"])
    status = JobStatus(str(job["status"]))
    if status is JobStatus.PENDING and job.get("started_at"):
        # A job is processing from its first counted row on (stamped by that row's write).
        status = JobStatus.PROCESSING
    return BulkJobProgress(
        job_id=job_id,
        status=status,
        progress_percentage=round(100.0 * int(job["processed_count"]) / total, 1)
        if total
        else 100.0,
        total_rows=total,
        processed_count=int(job["processed_count"]),
        success_count=int(job["success_count"]),
        failed_count=int(job["failed_count"]),
        created_at=datetime.fromisoformat(job["created_at"]),
        started_at=_when(job.get("started_at")),
        completed_at=_when(job.get("completed_at")),
        results=[BulkRowResult.model_validate(r) for r in rows],
    )


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
