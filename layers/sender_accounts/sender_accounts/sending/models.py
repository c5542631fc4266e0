"""Test emails: request and answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, field_validator

from sender_accounts.accounts.models import check_email_address
from sender_accounts.common.request_bodies import PostBody, WithWarnings
from sender_accounts.common.text_rules import (
    HeaderText255,
    MultiLine,
    SingleLine,
)


class TestEmailRequest(PostBody):
    """POST /sender-accounts/{inbox_id}/test-email."""

    __test__ = False  # a request model, not a test class, whatever pytest thinks of its name

    recipient_email: Annotated[SingleLine, Field(min_length=5, max_length=255)]
    subject: HeaderText255 | None = None
    body: Annotated[MultiLine, Field(min_length=1, max_length=100_000)] | None = None

    @field_validator("recipient_email")
    @classmethod
    def _valid_recipient(cls, value: str) -> str:
        return check_email_address(value)


class TestEmailResponse(WithWarnings):
    success: bool = True
    inbox_id: str
    inbox_email: str
    sent_at: datetime
    message_id: str
