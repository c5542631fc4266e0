"""The send queue's worker: one planned warm-up email or reply, sent once.

A send goes out only while both ends are pool members, within its day and within the sender's
daily limit (shared with every other send); otherwise it is dropped. It is claimed (`sending`,
its arrival expected from then on) before the SMTP session, through the sender's own server and
stored login, under the outbound rule and the per-host bound. A 5xx at RCPT or DATA is a bounce:
the sender pauses and the recipient leaves the pool. An authentication failure pauses the
sender. Anything else passing gives the send back, for the queue to retry."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import aiosmtplib

from sender_accounts.accounts.connection_capacity import (
    Purpose,
    bounded_connections,
)
from sender_accounts.adapters.observability import logger, metrics
from sender_accounts.errors import NotFound
from sender_accounts.mail.endpoints import MailServerLogin
from sender_accounts.mail.failures import ProbeFailure
from sender_accounts.mail.outcome import ErrorCode
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.oauth.inbox_tokens import RefreshFailed
from sender_accounts.store.records import InboxRecord
from sender_accounts.store.warmup_members import is_member
from sender_accounts.store.warmup_records import SendStatus, WarmupMessage
from sender_accounts.warmup.engine import EngineParts, EngineWorker, day_count
from sender_accounts.warmup.timing import after, check_slot, stamp

if TYPE_CHECKING:
    from email.message import EmailMessage

Transport = Callable[
    [MailServerLogin, "EmailMessage", list[str], OutboundPolicy, float], Awaitable[None]
]


class Bounced(Exception):
    """The recipient's server refused the message for good (5xx at RCPT or DATA)."""


def refused_for_good(error: BaseException) -> bool:
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return any(r.code >= 500 for r in error.recipients)
    if isinstance(error, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError):
        return error.code >= 500
    return False


def login_refused(error: BaseException) -> bool:
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        return True
    return isinstance(error, ProbeFailure) and error.code is ErrorCode.AUTH_FAILED


class WarmupSender(EngineWorker):
    def __init__(self, parts: EngineParts, transport: Transport) -> None:
        """`transport`: test_email's real_transport in production."""
        super().__init__(parts)
        self._transport = transport

    def process(self, send_id: str) -> str:
        """What became of the send: sent, dropped, bounced, paused or skipped (done before)."""
        message = self._messages.get(send_id)
        if message is None or message.status is not SendStatus.PLANNED:
            return "skipped"
        now = self._clock()
        if stamp(now) > message.not_after:
            return self._drop(message, "DAY_ENDED")
        try:
            sender = self._inboxes.get_inbox(message.sender_workspace_id, message.sender_id)
            recipient = self._inboxes.get_inbox(
                message.recipient_workspace_id, message.recipient_id
            )
        except NotFound:
            return self._drop(message, "LEFT_POOL")
        if not (is_member(sender) and is_member(recipient)):
            return self._drop(message, "LEFT_POOL")
        today = now.date().isoformat()
        if not self._inboxes.reserve_send(message.sender_workspace_id, sender.inbox_id, today):
            return self._drop(message, "DAILY_LIMIT")
        delay = self._settings.warmup_min_delay_seconds * (1 + self._rng.random())
        look_at = check_slot(recipient.inbox_id, after(now, delay), self._day_seconds)
        if not self._messages.begin_send(message, stamp(look_at)):
            self._inboxes.release_send(message.sender_workspace_id, sender.inbox_id, today)
            return "skipped"
        self._schedule.expect_check(
            recipient_workspace(message), recipient.inbox_id, stamp(look_at)
        )
        return self._send(message, sender, today)

    @property
    def _day_seconds(self) -> int:
        return self._settings.warmup_day_seconds

    def _drop(self, message: WarmupMessage, reason: str) -> str:
        self._messages.drop(message, reason)
        metrics.add_metric(name="WarmupSendsDropped", unit="Count", value=1)
        return "dropped"

    def _send(self, message: WarmupMessage, sender: InboxRecord, today: str) -> str:
        workspace_id = message.sender_workspace_id
        try:
            self._deliver(message, sender)
        except BaseException as error:
            self._inboxes.release_send(workspace_id, sender.inbox_id, today)
            if refused_for_good(error):
                self._bounced(message, sender)
                return "bounced"
            self._messages.unsent(message)
            if login_refused(error) or isinstance(error, RefreshFailed):
                self._messages.drop(message, "AUTH_FAILED")
                self._safety.pause(workspace_id, sender.inbox_id, "AUTH_FAILED")
                return "paused"
            logger.warning("warm-up send failed", extra={"error": type(error).__name__})
            raise
        counted = {"sent": 1} if message.kind == "warmup" else {"replied": 1}
        count = day_count(sender, message.sender_day, self._day_seconds, **counted)
        self._messages.sent(message, stamp(self._clock()), count)
        metrics.add_metric(name="WarmupEmailsSent", unit="Count", value=1)
        return "sent"

    def _deliver(self, message: WarmupMessage, sender: InboxRecord) -> None:
        from sender_accounts.mail.sending import compose_warmup_email

        email = compose_warmup_email(
            sender.display_name,
            sender.email_address,
            message.recipient_email,
            message.subject,
            message.body,
            message.message_id,
            message.in_reply_to,
        )
        smtp, _imap, _secrets = self._logins.logins(message.sender_workspace_id, sender)
        cfg = self._settings

        async def deliver() -> None:
            async with bounded_connections(
                self._capacity,
                message.sender_workspace_id,
                Purpose.CHECK,
                (smtp,),
                cfg,
                queued=True,
            ):
                await self._transport(
                    smtp,
                    email,
                    [message.recipient_email],
                    cfg.outbound_policy,
                    cfg.mail_step_timeout_seconds,
                )

        asyncio.run(asyncio.wait_for(deliver(), cfg.validation_deadline_seconds))


def recipient_workspace(message: WarmupMessage) -> str:
    return message.recipient_workspace_id
