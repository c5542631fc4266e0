"""A real test email through the inbox's own SMTP server (or SES for a native inbox), counted
against the inbox's daily limit for the UTC day: reserved before sending, given back if the
send fails, so the limit holds under concurrency and a failure costs nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.accounts.connection_capacity import (
    ConnectionCapacity,
    Purpose,
    bounded_connections,
)
from sender_accounts.accounts.models import InboxType
from sender_accounts.adapters.observability import metrics
from sender_accounts.adapters.ports import SecretVault
from sender_accounts.config import Settings
from sender_accounts.errors import (
    ConnectionValidationFailed,
    DailyLimitReached,
    DependencyUnavailable,
    InboxNotActive,
)
from sender_accounts.mail.endpoints import MailServerLogin
from sender_accounts.mail.operation_deadline import operation_deadline, time_left
from sender_accounts.mail.outcome import ErrorCode, StageFailure, failure_body
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.oauth.inbox_tokens import RefreshFailed, StoredLogins
from sender_accounts.sending.models import TestEmailRequest, TestEmailResponse
from sender_accounts.store.ports import Inboxes
from sender_accounts.store.records import InboxRecord

if TYPE_CHECKING:
    from email.message import EmailMessage

# Delivers one message through a login: the mailbox's own SMTP server unless a test says else.
Transport = Callable[
    [MailServerLogin, "EmailMessage", list[str], OutboundPolicy, float], Awaitable[None]
]


async def real_transport(
    login: MailServerLogin,
    message: EmailMessage,
    recipients: list[str],
    policy: OutboundPolicy,
    step_timeout: float,
) -> None:
    """SMTP through the inbox's own server, imported with the first test email."""
    from sender_accounts.mail.sending import send_through

    await send_through(login, message, recipients, policy, step_timeout)


DEFAULT_TEST_BODY = (
    "This is a test email. It was sent through this sender account's own SMTP server to check "
    "that it can send."
)


def seconds_to_next_utc_day(now: datetime) -> int:
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((tomorrow - now).total_seconds()))


class TestEmailService:
    __test__ = False  # not a pytest test class, whatever its name

    def __init__(
        self,
        repository: Inboxes,
        vault: SecretVault,
        settings: Settings,
        ses: Any,
        transport: Transport,
        logins: StoredLogins,
        capacity: ConnectionCapacity | None,
    ) -> None:
        """`transport`: `real_transport` in production; `capacity`: the bounds on mail
        connections (None, said explicitly: unbounded)."""
        self._capacity = capacity
        self._repository = repository
        self._vault = vault
        self._logins = logins
        self._settings = settings
        self._ses = ses
        self._transport = transport

    def send_test_email(
        self, workspace_id: str, inbox_id: str, request: TestEmailRequest
    ) -> TestEmailResponse:
        inbox = self._repository.get_inbox(workspace_id, inbox_id)
        if inbox.overall_status != "ACTIVE":
            raise InboxNotActive(inbox.overall_status)
        now = datetime.now(UTC)
        today = now.date().isoformat()
        if not self._repository.reserve_send(workspace_id, inbox_id, today):
            raise DailyLimitReached(inbox.daily_limit, seconds_to_next_utc_day(now))
        try:
            message = self._send(workspace_id, inbox, request)
        except BaseException:
            # Not sent, not counted.
            self._repository.release_send(workspace_id, inbox_id, today)
            raise
        metrics.add_metric(name="TestEmailsSent", unit="Count", value=1)
        return TestEmailResponse(
            inbox_id=inbox_id,
            inbox_email=inbox.email_address,
            sent_at=datetime.now(UTC).replace(microsecond=0),
            message_id=str(message["Message-ID"]),
        )

    def _send(
        self, workspace_id: str, inbox: InboxRecord, request: TestEmailRequest
    ) -> EmailMessage:
        with operation_deadline(self._settings.validation_deadline_seconds):
            # The SMTP stack (email, aiosmtplib, aioimaplib) loads on the first send, not at cold
            # start: it costs ~20 ms once, against an SMTP session of hundreds of milliseconds.
            from sender_accounts.mail.sending import compose_test_email
            from sender_accounts.mail.validation import run_stage

            settings = inbox.settings
            message = compose_test_email(
                sender_name=inbox.display_name,
                sender_address=inbox.email_address,
                recipient=request.recipient_email,
                subject=request.subject or f"Test email from {inbox.display_name}",
                body=request.body or DEFAULT_TEST_BODY,
                reply_to=settings.get("reply_to"),
                signature_html=settings.get("signature"),
            )
            recipients = [
                request.recipient_email,
                *([settings["bcc"]] if settings.get("bcc") else []),
            ]
            if inbox.inbox_type == InboxType.COLDSEND.value:
                self._send_with_ses(inbox, message, recipients)
                return message
            try:
                login, _imap, secrets = self._logins.logins(workspace_id, inbox)
            except RefreshFailed as failed:
                raise ConnectionValidationFailed(failure_body([failed.failure])) from None

            async def deliver(
                login: MailServerLogin, policy: OutboundPolicy, step_timeout: float
            ) -> None:
                await self._transport(login, message, recipients, policy, step_timeout)

            cfg = self._settings

            async def attempt() -> StageFailure | None:
                policy, step = cfg.outbound_policy, cfg.mail_step_timeout_seconds
                async with bounded_connections(
                    self._capacity, workspace_id, Purpose.VALIDATION, (login,), cfg
                ):
                    deadline = time_left(cfg.validation_deadline_seconds)
                    return await run_stage("smtp", deliver, login, policy, step, deadline, secrets)

            failure = asyncio.run(attempt())
            if failure is not None:
                raise ConnectionValidationFailed(failure_body([failure]))
            return message

    def _send_with_ses(
        self, inbox: InboxRecord, message: EmailMessage, recipients: list[str]
    ) -> None:
        """Native inboxes send through SES from their verified domain."""
        try:
            self._ses.send_raw_email(
                Source=inbox.email_address,
                Destinations=recipients,
                RawMessage={"Data": message.as_bytes()},
            )
        except ClientError as exc:
            error = exc.response.get("Error", {})
            if error.get("Code") == "MessageRejected":
                failure = StageFailure(
                    stage="ses",
                    error_code=ErrorCode.CONNECTION_FAILED,
                    detail="SES rejected the message",
                    server_reply=str(error.get("Message", ""))[:500],
                )
                raise ConnectionValidationFailed(failure_body([failure])) from None
            raise DependencyUnavailable("SES", str(error.get("Code"))) from None
        except BotoCoreError as exc:
            raise DependencyUnavailable("SES", type(exc).__name__) from None
