"""What the use cases need of the secret vault and the event bus, as protocols: the real
adapters (password_vault.py, events.py) and the unit tier's in-memory fakes both satisfy them,
and mypy holds each to it where it is passed in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # annotations only
    from sender_accounts.adapters.password_vault import MailboxPasswords
    from sender_accounts.common.events import LifecycleEvent


class SecretVault(Protocol):
    """Secrets sealed under a context that binds them to their workspace and owner (KMS)."""

    def seal(self, passwords: MailboxPasswords, workspace_id: str, inbox_id: str) -> bytes: ...

    def open(self, ciphertext: bytes, workspace_id: str, inbox_id: str) -> MailboxPasswords: ...

    def seal_secrets(self, secrets: dict[str, Any], context: dict[str, str]) -> bytes: ...

    def open_secrets(self, ciphertext: bytes, context: dict[str, str]) -> dict[str, Any]: ...


class EventBus(Protocol):
    """Lifecycle events for integrators; best effort after the change is stored."""

    def publish(self, event: LifecycleEvent) -> None: ...

    def publish_all(self, events: Sequence[LifecycleEvent]) -> None: ...


class DnsRecords(Protocol):
    """DNS answers as text: [] when a name has none, None when no answer came."""

    def records(self, name: str, rdtype: str) -> list[str] | None: ...
