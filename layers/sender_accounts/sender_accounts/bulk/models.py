"""Bulk jobs (creation and deletion): requests, progress and per-row results."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from sender_accounts.accounts.models import CreateSmtpAccountRequest
from sender_accounts.bulk.job_progress import JobProgress
from sender_accounts.common.model import Model
from sender_accounts.common.request_bodies import PostBody, WithWarnings
from sender_accounts.common.statuses import JobStatus, RowStatus
from sender_accounts.common.text_rules import (
    JsonBool,
)


class BulkCreateSmtpAccountsRequest(PostBody):
    """POST /sender-accounts/smtp/bulk: 1 to 100 create requests."""

    inboxes: list[CreateSmtpAccountRequest] = Field(min_length=1, max_length=100)


class BulkJobAccepted(WithWarnings):
    success: bool = True
    message: str
    job_id: str
    status: JobStatus
    total_rows: int


class BulkRowResult(Model):
    row: int
    email_address: str
    status: RowStatus
    inbox_id: str | None = None
    error_code: str | None = None
    error: str | None = None


class BulkJobProgress(JobProgress):
    success_count: int
    failed_count: int
    results: list[BulkRowResult]


class BulkJobProgressResponse(Model):
    success: bool = True
    job: BulkJobProgress


class BulkDeleteRequest(PostBody):
    """POST /sender-accounts/bulk/delete."""

    inbox_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=100
    )
    confirm_deletion: JsonBool = False


class DeleteRowStatus(StrEnum):
    PENDING = "PENDING"
    DELETED = "DELETED"
    SKIPPED = "SKIPPED"
    FAILED = "FAILED"


class BulkDeleteRowResult(Model):
    row: int
    inbox_id: str
    status: DeleteRowStatus
    error: str | None = None


class BulkDeleteProgress(JobProgress):
    deleted_count: int
    failed_count: int
    skipped_count: int
    results: list[BulkDeleteRowResult]


class BulkDeleteProgressResponse(Model):
    success: bool = True
    job: BulkDeleteProgress
