"""An inbox's warm-up as GET .../warmup shows it: its settings and status, today's target and
sends, its last 30 warm-up days, 7-day totals and its warm-up reputation (inbox placements of
its own warm-up emails over the last 7 days, of inbox, spam and missing; null below 10)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sender_accounts.common.statuses import WarmupStatus
from sender_accounts.config import Settings
from sender_accounts.store.ports import Inboxes
from sender_accounts.store.warmup_members import warmup_status
from sender_accounts.store.warmup_messages import WarmupMessages
from sender_accounts.store.warmup_records import DAY_STATISTICS, DayStatistics
from sender_accounts.warmup.models import WarmupDay, WarmupReport, WarmupTotals
from sender_accounts.warmup.ramp import Ramp, warmup_day
from sender_accounts.warmup.timing import parse

DAYS_SHOWN = 30
REPUTATION_DAYS = 7
REPUTATION_MINIMUM = 10


def reputation(days: list[DayStatistics]) -> float | None:
    inbox = sum(d.landed_inbox for d in days)
    placed = inbox + sum(d.landed_spam + d.missing for d in days)
    return None if placed < REPUTATION_MINIMUM else round(100 * inbox / placed, 1)


class WarmupReports:
    def __init__(
        self,
        inboxes: Inboxes,
        messages: WarmupMessages,
        settings: Settings,
        clock: Callable[[], datetime],
    ) -> None:
        self._inboxes = inboxes
        self._messages = messages
        self._settings = settings
        self._clock = clock

    def report(self, workspace_id: str, inbox_id: str) -> WarmupReport:
        inbox = self._inboxes.get_inbox(workspace_id, inbox_id)
        status = warmup_status(inbox)
        day = None
        if status in (WarmupStatus.ACTIVE, WarmupStatus.SPAM_FOLDER_UNKNOWN):
            started = parse(inbox.warmup_started_at or "")
            day = warmup_day(started, self._clock(), self._settings.warmup_day_seconds)
        settings = dict(inbox.settings.get("warmup") or {})
        # Days of an earlier warm-up of this inbox (before a pause) are not this one's.
        days = self._messages.days(inbox_id, DAYS_SHOWN) if inbox.warmup_started_at else []
        if inbox.warmup_started_at:
            started_at = parse(inbox.warmup_started_at)
            days = [d for d in days if d.date and parse(d.date) >= started_at]
        today = next((d for d in days if d.day == day), None)
        # Stopped, the last 7 days are those of the warm-up it ran.
        latest = day if day is not None else max((d.day for d in days), default=0)
        recent = [d for d in days if d.day > latest - REPUTATION_DAYS]
        totals = {name: sum(getattr(d, name) for d in recent) for name in DAY_STATISTICS}
        return WarmupReport(
            inbox_id=inbox.inbox_id,
            email_address=inbox.email_address,
            warmup_status=status,
            pause_reason=inbox.warmup_pause_reason if status == "PAUSED_BY_SAFETY" else None,
            warmup_key_id=inbox.warmup_key_id,
            settings=settings,
            warmup_started_at=inbox.warmup_started_at if day is not None else None,
            day=day,
            target=Ramp.from_settings(settings).target(day) if day is not None else 0,
            sent=today.sent if today else 0,
            daily=[WarmupDay.model_validate(d.model_dump()) for d in days],
            totals_7_days=WarmupTotals.model_validate(totals),
            warmup_reputation=reputation(recent),
        )
