"""What every kind of job shows of its progress, apart from the request models of the jobs that
create inboxes: the health and warm-up answers extend it without loading those."""

from __future__ import annotations

from datetime import datetime

from sender_accounts.common.model import Model
from sender_accounts.common.statuses import JobStatus


class JobProgress(Model):
    """What every kind of job shows of its progress; each kind adds its counters and rows."""

    job_id: str
    status: JobStatus
    progress_percentage: float
    total_rows: int
    processed_count: int
    created_at: datetime
    started_at: datetime | None = None
    completed_at: datetime | None = None
