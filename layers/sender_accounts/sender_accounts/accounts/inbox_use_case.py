"""The base of the use cases that store inboxes and validate their mailboxes' connections:
creating, updating, connecting with OAuth2, health checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sender_accounts.adapters.ports import EventBus, SecretVault
from sender_accounts.config import Settings
from sender_accounts.store.ports import Inboxes

if TYPE_CHECKING:
    from sender_accounts.accounts.connection_capacity import Admission, ConnectionCapacity
    from sender_accounts.accounts.connection_validation import ConnectionValidator


class InboxUseCase:
    """What the use cases that store inboxes and validate their connections share: the inbox
    store, the vault, the event bus, the settings, the connection validator
    (`real_validation` in production) and the bounds on mail connections (None, said
    explicitly: unbounded)."""

    def __init__(
        self,
        repository: Inboxes,
        vault: SecretVault,
        events: EventBus,
        settings: Settings,
        validator: ConnectionValidator,
        capacity: ConnectionCapacity | None,
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
