"""SmartLead's answers to writes and to warm-up statistics, field for field."""

from __future__ import annotations

from pydantic import Field

from sender_accounts.common.model import Model
from sender_accounts.smartlead.account_object import WarmupDetails


class Done(Model):
    ok: bool = True
    message: str


class SavedAccount(Model):
    id: int
    from_email: str
    is_smtp_success: bool
    is_imap_success: bool
    warmup_details: WarmupDetails


class SaveAnswer(Done):
    id: int
    emailAccountId: int  # noqa: N815  SmartLead's spelling
    warmupKey: str | None = None  # noqa: N815
    data: SavedAccount


class Deleted(Done):
    emailAccountId: int  # noqa: N815


class Suspension(Model):
    accountId: int  # noqa: N815
    isSuspended: bool  # noqa: N815


class SuspensionAnswer(Model):
    success: bool = True
    ok: bool = True
    message: str
    data: Suspension


class ReconnectAnswer(Done):
    job_id: str | None = None
    accounts_to_check: int = 0


class DayStats(Model):
    id: int
    date: str
    sent_count: int
    reply_count: int
    save_from_spam_count: int
    inbox_count: int = 0
    spam_count: int = 0


class WarmupStatsAnswer(Model):
    """SmartLead clients parse the four counts as strings; its generated reference adds the
    numeric totals, also given."""

    id: int
    sent_count: str
    spam_count: str
    inbox_count: str
    warmup_email_received_count: str
    stats_by_date: list[DayStats]
    total_sent: int
    total_inbox: int
    total_spam: int
    warmup_reputation: float | None = Field(
        description="Inbox placement over 7 days, percent; null below 10 placements"
    )
    days_in_warmup: int
