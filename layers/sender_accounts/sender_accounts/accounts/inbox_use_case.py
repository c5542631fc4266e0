"""The base of the use cases that store inboxes and validate their mailboxes' connections:
creating, updating, connecting with OAuth2, health checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sender_accounts.accounts.connection_validation import ConnectionValidator
from sender_accounts.adapters.events import EventPublisher
from sender_accounts.adapters.password_vault import PasswordVault
from sender_accounts.config import Settings
from sender_accounts.store.inboxes import InboxStore

if TYPE_CHECKING:
    from sender_accounts.accounts.connection_capacity import Admission, ConnectionCapacity


class InboxUseCase:
    """What the use cases that store inboxes and validate their connections share: the inbox
    store, the vault, the event bus, the settings, the connection validator (the real probes by
    default) and the bounds on mail connections (none: unbounded)."""

    def __init__(
        self,
        repository: InboxStore,
        vault: PasswordVault,
        events: EventPublisher,
        settings: Settings,
        validator: ConnectionValidator | None = None,
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
