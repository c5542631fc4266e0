"""Connection validation: logging in to a mailbox's SMTP and IMAP servers side by side, within
the settings' bounds, in one place for every use case that does (create, PATCH with new
credentials, bulk rows, OAuth2 connections, health checks). The probes (aiosmtplib, aioimaplib)
load with the first validation, so functions that only read never import them."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from sender_accounts.config import Settings
from sender_accounts.mail.endpoints import MailServerLogin
from sender_accounts.mail.operation_deadline import time_left
from sender_accounts.mail.outcome import StageFailure
from sender_accounts.mail.policy import OutboundPolicy

if TYPE_CHECKING:
    from sender_accounts.accounts.connection_capacity import Admission

ConnectionValidator = Callable[
    [MailServerLogin, MailServerLogin, OutboundPolicy, float, float],
    Coroutine[Any, Any, list[StageFailure]],
]


async def real_validation(
    smtp: MailServerLogin,
    imap: MailServerLogin,
    policy: OutboundPolicy,
    step_timeout: float,
    deadline: float,
) -> list[StageFailure]:
    """The real probes, imported with the first validation (functions that never validate
    never load the SMTP and IMAP libraries)."""
    from sender_accounts.mail.validation import validate_mailbox

    return await validate_mailbox(smtp, imap, policy, step_timeout, deadline)


async def validate_connection(
    smtp: MailServerLogin,
    imap: MailServerLogin,
    settings: Settings,
    validator: ConnectionValidator,
    admission: Admission | None = None,
) -> list[StageFailure]:
    """Both logins tried side by side, within what is left of the operation's deadline (a
    token refresh before them took its share); the failures, or none. With `admission`, the
    connections are counted and bounded first (accounts/connection_capacity.py)."""
    run = validator
    policy, step = settings.outbound_policy, settings.mail_step_timeout_seconds
    if admission is None:
        return await run(smtp, imap, policy, step, time_left(settings.validation_deadline_seconds))
    async with admission.connections((smtp, imap), policy, step):
        return await run(smtp, imap, policy, step, time_left(settings.validation_deadline_seconds))


def validated_now(
    smtp: MailServerLogin,
    imap: MailServerLogin,
    settings: Settings,
    validator: ConnectionValidator,
    admission: Admission | None = None,
) -> list[StageFailure]:
    """`validate_connection` for a use case that is not itself asynchronous: asyncio loads
    with the first validation, not with every use case composed with a validator."""
    import asyncio

    return asyncio.run(validate_connection(smtp, imap, settings, validator, admission))
