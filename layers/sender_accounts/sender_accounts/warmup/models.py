"""Warm-up's messages on its queues, the planner's report, and what GET .../warmup answers."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, Field

from sender_accounts.bulk.job_progress import JobProgress
from sender_accounts.common.model import Model
from sender_accounts.common.request_bodies import PostBody
from sender_accounts.common.statuses import InboxStatus, WarmupStatus
from sender_accounts.common.text_rules import JsonBool


class SendMessage(Model):
    """The send queue's message: a planned warm-up email or reply."""

    send_id: str


class ReceiveMessage(Model):
    """The receive queue's message: a recipient's check slot came due."""

    workspace_id: str
    inbox_id: str
    slot: str


class PlannerReport(Model):
    model_config = ConfigDict(validate_assignment=False)

    adopted: int = 0
    backfilled: int = 0  # stored inboxes given what later additions give (once per deployment)
    members_planned: int = 0
    planned: int = 0
    sends_queued: int = 0
    checks_queued: int = 0


class WarmupDay(Model):
    """One warm-up day of an inbox (`day` 1 is the first of its current warm-up)."""

    day: int
    date: str = Field(description="When that warm-up day began (ISO 8601)")
    sent: int = Field(description="This inbox's warm-up emails sent (replies not included)")
    landed_inbox: int
    landed_spam: int
    missing: int
    received: int = Field(description="Warm-up emails from other members received")
    saved_from_spam: int = Field(description="Of those received, found in spam and moved")
    replied: int = Field(description="Replies this inbox sent")
    bounced: int


class WarmupTotals(Model):
    sent: int
    landed_inbox: int
    landed_spam: int
    missing: int
    received: int
    saved_from_spam: int
    replied: int
    bounced: int


class WarmupReport(Model):
    """GET /sender-accounts/{inbox_id}/warmup."""

    inbox_id: str
    email_address: str
    warmup_status: WarmupStatus
    pause_reason: str | None = None
    warmup_key_id: str | None = None
    settings: dict[str, object]
    warmup_started_at: str | None = None
    day: int | None = Field(default=None, description="The current warm-up day; null if off")
    target: int = Field(description="Warm-up emails to send today")
    sent: int = Field(description="Warm-up emails sent today")
    daily: list[WarmupDay] = Field(description="The last 30 warm-up days, newest first")
    totals_7_days: WarmupTotals
    warmup_reputation: float | None = Field(
        description="Inbox placements of its own warm-up emails over the last 7 days, as a "
        "percentage of inbox, spam and missing; null below 10 placements"
    )


class BulkWarmupRequest(PostBody):
    """POST /sender-accounts/bulk/warmup: listed inboxes (1-100), or every inbox in one
    status, warm-up turned on or off (the other warm-up settings are kept)."""

    inbox_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(
        default=None, min_length=1, max_length=100
    )
    status: InboxStatus | None = None
    enabled: JsonBool


class WarmupRowMessage(Model):
    """The bulk warm-up queue's message: one row of a job."""

    job_id: str
    workspace_id: str
    row: int
    inbox_id: str
    enabled: bool


class WarmupRowStatus(StrEnum):
    PENDING = "PENDING"
    SUCCESS = "SUCCESS"  # warm-up is now as asked (it may have been already)
    SKIPPED = "SKIPPED"  # no such inbox in the workspace, or listed twice
    FAILED = "FAILED"  # could not be changed after its retries


class BulkWarmupRowResult(Model):
    row: int
    inbox_id: str
    status: WarmupRowStatus
    error: str | None = None


class BulkWarmupProgress(JobProgress):
    success_count: int
    skipped_count: int
    failed_count: int
    results: list[BulkWarmupRowResult]


class BulkWarmupProgressResponse(Model):
    success: bool = True
    job: BulkWarmupProgress
