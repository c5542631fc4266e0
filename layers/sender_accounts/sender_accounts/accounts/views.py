"""How a stored inbox reads to a client: GET's detail and a list row (the views every read
shares, kept apart from the use cases so a function that only reads imports only this)."""

from __future__ import annotations

from sender_accounts.accounts.models import SenderAccountDetail, SenderAccountSummary
from sender_accounts.store.daily_sends import todays_count
from sender_accounts.store.records import InboxRecord, InboxSummary
from sender_accounts.store.warmup_members import warmup_status


def summary(record: InboxSummary) -> SenderAccountSummary:
    return SenderAccountSummary.model_validate(
        {**record.model_dump(), "emails_sent_today": todays_count(record)}
    )


def public_detail(record: InboxRecord) -> SenderAccountDetail:
    """An inbox as GET shows it: every field but its secrets, settings flattened."""
    public = {
        **record.public(),
        "emails_sent_today": todays_count(record),
        "auth_type": record.auth_type or "PASSWORD",
        "warmup_status": warmup_status(record),
    }
    return SenderAccountDetail.model_validate({**public, **record.settings})
