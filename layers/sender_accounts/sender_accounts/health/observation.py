"""What one check saw, and how it reads: the per-protocol results, the factors, the answer.

The answer is always built from the stored inbox, so a fresh check and a repeated one within
the minimum interval read exactly alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sender_accounts.accounts.health_fields import DnsStatus, HealthFactor, ProtocolStatus
from sender_accounts.health.dns_checks import DnsFindings
from sender_accounts.health.factors import (
    Factor,
    daily_limit_factor,
    failures_factor,
    login_factor,
    warmup_factor,
)
from sender_accounts.health.models import CheckResponse
from sender_accounts.mail.outcome import ErrorCode, StageFailure
from sender_accounts.store.records import InboxRecord


def protocol_status(stage: str, failures: list[StageFailure]) -> dict[str, Any]:
    """The check answer's `smtp`/`imap` object: ok, or the failure's class and the reply."""
    failure = next((f for f in failures if f.stage == stage), None)
    if failure is None:
        return {"ok": True}
    status: dict[str, Any] = {
        "ok": False,
        "error_code": failure.error_code.value,
        "detail": failure.detail,
    }
    if failure.server_reply is not None:
        status["server_reply"] = failure.server_reply
    if failure.hint is not None:
        status["hint"] = failure.hint
    return status


@dataclass(frozen=True)
class Observation:
    checked_at: str
    failures: list[StageFailure]
    dns: DnsFindings
    # Native inboxes: the SES verification in place of the SMTP and IMAP logins.
    ses: Factor | None = None
    # Modes found by TLS detection ({"smtp_security": "ssl"}), stored as the inbox's own.
    detected_modes: dict[str, str] = field(default_factory=dict)

    def statuses(self) -> dict[str, Any]:
        if self.ses is not None:
            return {"smtp_status": {"ok": self.ses.ok, "detail": self.ses.detail}}
        return {
            "smtp_status": protocol_status("smtp", self.failures),
            "imap_status": protocol_status("imap", self.failures),
        }

    def factors(
        self, inbox: InboxRecord, consecutive_failures: int, provider_maximum: int
    ) -> list[Factor]:
        if self.ses is not None:
            logins = [self.ses]
        else:
            statuses = self.statuses()
            logins = [
                login_factor("smtp", statuses["smtp_status"]),
                login_factor("imap", statuses["imap_status"]),
            ]
        return [
            *logins,
            failures_factor(consecutive_failures),
            *self.dns.factors,
            daily_limit_factor(
                inbox.daily_limit,
                inbox.created_at,
                provider_maximum,
                datetime.fromisoformat(self.checked_at),
            ),
            *warmup_factor(inbox.warmup_reputation),
        ]


def ses_failure(domain_status: str) -> StageFailure | None:
    """A native inbox's domain status as a check failure (None when ACTIVE)."""
    if domain_status == "ACTIVE":
        return None
    if domain_status == "FAILED":
        return StageFailure(
            "ses", ErrorCode.DOMAIN_NOT_VERIFIED, "SES no longer verifies the inbox's domain"
        )
    return StageFailure(
        "ses", ErrorCode.DOMAIN_VERIFICATION_PENDING, "The domain's SES verification is pending"
    )


def check_answer(inbox: InboxRecord, cached: bool) -> CheckResponse:
    """The check endpoint's answer, from the inbox as stored after its last check."""
    return CheckResponse(
        inbox_id=inbox.inbox_id,
        overall_status=inbox.overall_status,
        health_score=inbox.health_score,
        checked_at=_when(inbox.last_checked_at),
        cached=cached,
        consecutive_failures=inbox.consecutive_failures,
        smtp=ProtocolStatus.model_validate(inbox.smtp_status) if inbox.smtp_status else None,
        imap=ProtocolStatus.model_validate(inbox.imap_status) if inbox.imap_status else None,
        dns=DnsStatus.model_validate(inbox.dns_status) if inbox.dns_status else None,
        health_factors=[HealthFactor.model_validate(f) for f in inbox.health_factors],
        next_check_at=_when(inbox.next_check_at),
    )


def _when(stamp: str | None) -> datetime | None:
    return datetime.fromisoformat(stamp) if stamp else None
