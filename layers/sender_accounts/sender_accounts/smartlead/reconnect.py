"""SmartLead's re-check of every failed account: ColdSend's bulk health check by status."""

from __future__ import annotations

from sender_accounts.common.statuses import InboxStatus
from sender_accounts.health.bulk_check import BulkCheckService
from sender_accounts.health.models import BulkCheckRequest
from sender_accounts.smartlead.answers import ReconnectAnswer


class SmartLeadReconnect:
    def __init__(self, checks: BulkCheckService) -> None:
        self._checks = checks

    def reconnect_failed(self, workspace_id: str) -> ReconnectAnswer:
        """A failed account is a DISABLED inbox: its health check logs in again and, when both
        logins succeed, makes it ACTIVE."""
        job = self._checks.create_job(workspace_id, BulkCheckRequest(status=InboxStatus.DISABLED))
        return ReconnectAnswer(
            message=f"Reconnecting {job.total_rows} failed email account(s)",
            job_id=job.job_id,
            accounts_to_check=job.total_rows,
        )
