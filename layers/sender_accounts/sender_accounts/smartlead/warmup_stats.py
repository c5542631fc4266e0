"""GET /email-accounts/{id}/warmup-stats from the warm-up engine's own counts (the report
GET .../warmup shows), the last 7 warm-up days."""

from __future__ import annotations

from sender_accounts.smartlead.answers import DayStats, WarmupStatsAnswer
from sender_accounts.warmup.statistics import REPUTATION_DAYS, WarmupReports


class SmartLeadWarmupStats:
    def __init__(self, reports: WarmupReports) -> None:
        self._reports = reports

    def seven_days(self, workspace_id: str, inbox_id: str) -> tuple[int, int]:
        """Warm-up emails sent, and of those landed in spam, over the last 7 days."""
        totals = self._reports.report(workspace_id, inbox_id).totals_7_days
        return totals.sent, totals.landed_spam

    def stats(self, workspace_id: str, inbox_id: str, account_id: int) -> WarmupStatsAnswer:
        report = self._reports.report(workspace_id, inbox_id)
        latest = report.day or max((d.day for d in report.daily), default=0)
        recent = [d for d in report.daily if d.day > latest - REPUTATION_DAYS]
        totals = report.totals_7_days
        return WarmupStatsAnswer(
            id=account_id,
            sent_count=str(totals.sent),
            spam_count=str(totals.landed_spam),
            inbox_count=str(totals.landed_inbox),
            warmup_email_received_count=str(totals.received),
            stats_by_date=[
                DayStats(
                    id=day.day,
                    date=day.date[:10],
                    sent_count=day.sent,
                    reply_count=day.replied,
                    save_from_spam_count=day.saved_from_spam,
                    inbox_count=day.landed_inbox,
                    spam_count=day.landed_spam,
                )
                for day in recent
            ],
            total_sent=totals.sent,
            total_inbox=totals.landed_inbox,
            total_spam=totals.landed_spam,
            warmup_reputation=report.warmup_reputation,
            days_in_warmup=report.day or 0,
        )
