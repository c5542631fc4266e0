"""Validating a mailbox within the settings' bounds, in one place for every use case that does:
create, update with new credentials, bulk rows. The probes (aiosmtplib, aioimaplib) load with
the first validation, so functions that only read never import them."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from sender_accounts.adapters.events import EventPublisher
from sender_accounts.adapters.password_vault import PasswordVault
from sender_accounts.config import Settings
from sender_accounts.mail.deadlines import time_left
from sender_accounts.mail.endpoints import MailServerLogin
from sender_accounts.mail.outcome import StageFailure
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.store.inboxes import SenderAccountRepository

if TYPE_CHECKING:
    from sender_accounts.accounts.connection_capacity import Admission, ConnectionCapacity

MailboxValidator = Callable[
    [MailServerLogin, MailServerLogin, OutboundPolicy, float, float],
    Coroutine[Any, Any, list[StageFailure]],
]


def real_validator() -> MailboxValidator:
    from sender_accounts.mail.validation import validate_mailbox

    return validate_mailbox


async def check_mailbox(
    smtp: MailServerLogin,
    imap: MailServerLogin,
    settings: Settings,
    validator: MailboxValidator | None = None,
    admission: Admission | None = None,
) -> list[StageFailure]:
    """Both logins tried side by side, within what is left of the operation's deadline (a
    token refresh before them took its share); the failures, or none. With `admission`, the
    connections are counted and bounded first (accounts/connection_capacity.py)."""
    run = validator or real_validator()
    policy, step = settings.outbound_policy, settings.mail_step_timeout_seconds
    if admission is None:
        return await run(smtp, imap, policy, step, time_left(settings.validation_deadline_seconds))
    async with admission.connections((smtp, imap), policy, step):
        return await run(smtp, imap, policy, step, time_left(settings.validation_deadline_seconds))


class MailboxUseCase:
    """What the use cases that store and validate connected mailboxes share: the inbox store,
    the vault, the event bus, the settings, the validator (the real probes by default) and the
    bounds on mail connections (none: unbounded)."""

    def __init__(
        self,
        repository: SenderAccountRepository,
        vault: PasswordVault,
        events: EventPublisher,
        settings: Settings,
        validator: MailboxValidator | None = None,
        capacity: ConnectionCapacity | None = None,
    ) -> None:
        self._repository = repository
        self._vault = vault
        self._events = events
        self._settings = settings
        self._validator = validator
        self._capacity = capacity

    def _admission(self, workspace_id: str) -> Admission | None:
        """A validation's admission for an API request (health checks make their own)."""
        from sender_accounts.accounts.connection_capacity import Purpose

        if self._capacity is None:
            return None
        return self._capacity.admission(workspace_id, Purpose.VALIDATION)
