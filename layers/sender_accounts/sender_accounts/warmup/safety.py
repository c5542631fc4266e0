"""Warm-up's safeguards: an inbox whose warm-up emails bounce, whose login fails, or that health
made DISABLED stops warming up (`PAUSED_BY_SAFETY`, with its reason and a WarmupPaused event);
the user re-enables it once the inbox is ACTIVE again. Leaving the pool is the same write: its
pending sends and replies are dropped when they come due."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from sender_accounts.adapters.ports import EventBus
from sender_accounts.common.events import WarmupPaused
from sender_accounts.errors import ConcurrentUpdate, NotFound
from sender_accounts.store.ports import Inboxes
from sender_accounts.store.records import InboxChanges
from sender_accounts.store.warmup_members import safety_pause

PauseReason = Literal["BOUNCE", "RECIPIENT_BOUNCED", "AUTH_FAILED", "INBOX_DISABLED"]


class WarmupSafety:
    def __init__(self, inboxes: Inboxes, events: EventBus, clock: Callable[[], str]) -> None:
        self._inboxes = inboxes
        self._events = events
        self._clock = clock

    def pause(self, workspace_id: str, inbox_id: str, reason: PauseReason) -> bool:
        """Pause the inbox's warm-up if it runs; whether this call paused it."""
        for _attempt in range(3):
            try:
                inbox = self._inboxes.get_inbox(workspace_id, inbox_id)
            except NotFound:
                return False
            if not (inbox.settings.get("warmup") or {}).get("enabled"):
                return False
            paused = safety_pause(dict(inbox.settings), reason)
            changes = InboxChanges.model_validate({**paused, "updated_at": self._clock()})
            try:
                self._inboxes.update_inbox(workspace_id, inbox, changes)
            except ConcurrentUpdate:
                continue
            self._events.publish(
                WarmupPaused(
                    workspace_id=workspace_id,
                    inbox_id=inbox_id,
                    email_address=inbox.email_address,
                    reason=reason,
                )
            )
            return True
        return False
