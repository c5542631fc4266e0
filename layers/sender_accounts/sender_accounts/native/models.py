"""Managed (native) inboxes on workspace domains."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, field_validator

from sender_accounts.accounts.models import LOCAL_PART
from sender_accounts.common.model import Model
from sender_accounts.common.request_bodies import PostBody, WithWarnings
from sender_accounts.common.statuses import PROVIDER_MAX_DAILY_LIMIT, InboxType, RowStatus
from sender_accounts.common.text_rules import (
    HeaderText255,
    JsonInt,
)

LOCAL_PART_PATTERN = re.compile(rf"^{LOCAL_PART}$")


def check_email_prefix(value: str) -> str:
    lowered = value.lower()
    if len(lowered) > 64 or not LOCAL_PART_PATTERN.fullmatch(lowered):
        raise ValueError("must be a valid email local part such as john or sales.team")
    return lowered


EmailPrefix = Annotated[str, Field(min_length=1, max_length=64)]


class NativeInboxItem(PostBody):
    email_prefix: EmailPrefix
    display_name: HeaderText255

    @field_validator("email_prefix")
    @classmethod
    def _local_part(cls, value: str) -> str:
        return check_email_prefix(value)


class CreateNativeAccountRequest(NativeInboxItem):
    """POST /sender-accounts/coldsend-native."""

    domain_id: Annotated[str, Field(min_length=1, max_length=64)]
    daily_limit: JsonInt = Field(default=100, ge=1, le=PROVIDER_MAX_DAILY_LIMIT[InboxType.COLDSEND])


class BulkCreateNativeAccountsRequest(PostBody):
    """POST /sender-accounts/coldsend-native/bulk."""

    domain_id: Annotated[str, Field(min_length=1, max_length=64)]
    inboxes: list[NativeInboxItem] = Field(min_length=1, max_length=100)


class NativeRowResult(Model):
    row: int
    email_prefix: str
    status: RowStatus
    inbox_id: str | None = None
    error_code: str | None = None
    error: str | None = None


class BulkCreateNativeAccountsResponse(WithWarnings):
    success: bool = True
    created_count: int
    failed_count: int
    results: list[NativeRowResult]
