"""Mailbox health: the check answer, bulk checks and their progress."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from sender_accounts.accounts.health_fields import DnsStatus, HealthFactor, ProtocolStatus
from sender_accounts.bulk.job_progress import JobProgress
from sender_accounts.common.model import Model
from sender_accounts.common.request_bodies import PostBody
from sender_accounts.common.statuses import InboxStatus


class CheckResponse(Model):
    success: bool = True
    inbox_id: str
    overall_status: InboxStatus
    health_score: float
    checked_at: datetime | None
    # True when the inbox was checked within CHECK_MIN_INTERVAL_SECONDS: this is that result.
    cached: bool
    consecutive_failures: int
    smtp: ProtocolStatus | None = None
    imap: ProtocolStatus | None = None
    dns: DnsStatus | None = None
    health_factors: list[HealthFactor]
    next_check_at: datetime | None = None


class HealthCheckMessage(Model):
    """One inbox to check (health queue); `job_id` and `row` when it is a bulk check's row."""

    workspace_id: str
    inbox_id: str
    job_id: str | None = None
    row: int | None = None


class BulkCheckRequest(PostBody):
    """POST /sender-accounts/bulk/check: listed inboxes, or every inbox in one status."""

    inbox_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(
        default=None, min_length=1, max_length=100
    )
    status: InboxStatus | None = None


class CheckRowStatus(StrEnum):
    PENDING = "PENDING"
    HEALTHY = "HEALTHY"  # both logins (or SES) succeeded
    UNHEALTHY = "UNHEALTHY"  # a login failed: error_code says why
    SKIPPED = "SKIPPED"  # no such inbox in the workspace, or listed twice
    FAILED = "FAILED"  # the check could not run after its retries


class BulkCheckRowResult(Model):
    row: int
    inbox_id: str
    status: CheckRowStatus
    overall_status: InboxStatus | None = None
    health_score: float | None = None
    error_code: str | None = None
    error: str | None = None


class BulkCheckProgress(JobProgress):
    healthy_count: int
    unhealthy_count: int
    skipped_count: int
    failed_count: int
    results: list[BulkCheckRowResult]


class BulkCheckProgressResponse(Model):
    success: bool = True
    job: BulkCheckProgress
