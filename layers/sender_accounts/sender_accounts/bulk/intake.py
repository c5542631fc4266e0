"""Bulk SMTP creation, the synchronous half: check, encrypt, record, enqueue, answer 202."""

from __future__ import annotations

import contextvars
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sender_accounts.accounts.records import passwords_of, request_without_secrets
from sender_accounts.adapters.observability import metrics
from sender_accounts.adapters.ports import EventBus, SecretVault
from sender_accounts.bulk.completion import publish_job_completed
from sender_accounts.bulk.enqueueing import enqueue_rows
from sender_accounts.bulk.models import (
    BulkCreateSmtpAccountsRequest,
    BulkJobAccepted,
    BulkJobProgress,
    JobStatus,
)
from sender_accounts.bulk.progress import read_job
from sender_accounts.common.clock import utc_now
from sender_accounts.common.statuses import JobType, StoredRowStatus
from sender_accounts.store.bulk_jobs import BulkItemMessage, expiry
from sender_accounts.store.ports import BulkJobs
from sender_accounts.store.records import JobRecord, RowRecord

JOB_TYPE = JobType.BULK_SMTP_CREATE
# KMS calls are network-bound; a small pool keeps 100 encryptions well under a second.
ENCRYPTION_THREADS = 16


class BulkIntakeService:
    def __init__(
        self,
        jobs: BulkJobs,
        vault: SecretVault,
        sqs: Any,
        queue_url: str,
        events: EventBus,
    ) -> None:
        self._jobs = jobs
        self._vault = vault
        self._sqs = sqs
        self._queue_url = queue_url
        self._events = events

    def progress(self, workspace_id: str, job_id: str) -> BulkJobProgress:
        return job_progress(self._jobs, self._events, workspace_id, job_id)

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
            "job_type": JOB_TYPE,
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
        self._jobs.create(
            JobRecord.model_validate(job), [RowRecord.model_validate(r) for r in rows]
        )
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
        bodies = [(m.row, m.to_json()) for m in messages]
        enqueue_rows(self._sqs, self._queue_url, self._jobs, job_id, bodies, now)
        metrics.add_metric(name="BulkJobsAccepted", unit="Count", value=1)
        metrics.add_metric(name="BulkRowsQueued", unit="Count", value=len(queued))
        if not queued:
            publish_job_completed(self._events, JobRecord.model_validate(job))
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

        def seal_in_context(index: int) -> bytes:
            # Each thread runs in a copy of the request's context (its logging keys, and the
            # caller identity the local runtime signs with).
            return context.copy().run(seal, index)  # a context runs in one thread at a time

        context = contextvars.copy_context()
        with ThreadPoolExecutor(max_workers=ENCRYPTION_THREADS) as pool:
            # map re-raises the first failure, before anything is written
            return dict(zip(queued, pool.map(seal_in_context, queued), strict=True))


def job_progress(
    jobs: BulkJobs, events: EventBus, workspace_id: str, job_id: str
) -> BulkJobProgress:
    """The job as the contract shows it, with per-row results. A row's `inbox_id` is reserved at
    intake but shown only once the inbox exists: a failed row's id would answer 404."""

    def shown(row: RowRecord) -> RowRecord:
        return (
            row
            if row.status is StoredRowStatus.SUCCESS
            else row.model_copy(update={"inbox_id": None})
        )

    return read_job(jobs, events, workspace_id, job_id, JOB_TYPE, BulkJobProgress, shown)
