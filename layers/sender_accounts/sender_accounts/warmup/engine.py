"""What warm-up's send and receive workers share: the stores they step messages through, the
stored logins and connection bounds they reach mailboxes with, the safety pauses, the settings
and the clock."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sender_accounts.accounts.connection_capacity import ConnectionCapacity
from sender_accounts.config import Settings
from sender_accounts.oauth.inbox_tokens import StoredLogins
from sender_accounts.store.ports import Inboxes
from sender_accounts.store.records import InboxRecord
from sender_accounts.store.warmup_messages import WarmupMessages
from sender_accounts.store.warmup_records import DayCount, WarmupMessage
from sender_accounts.store.warmup_schedule import WarmupSchedule
from sender_accounts.warmup.ramp import day_start
from sender_accounts.warmup.safety import WarmupSafety
from sender_accounts.warmup.timing import parse, stamp


@dataclass(frozen=True)
class EngineParts:
    inboxes: Inboxes
    messages: WarmupMessages
    schedule: WarmupSchedule
    logins: StoredLogins
    capacity: ConnectionCapacity | None  # None, said explicitly: unbounded
    safety: WarmupSafety
    settings: Settings
    clock: Callable[[], datetime]


class EngineWorker:
    def __init__(self, parts: EngineParts) -> None:
        self._inboxes = parts.inboxes
        self._messages = parts.messages
        self._schedule = parts.schedule
        self._logins = parts.logins
        self._capacity = parts.capacity
        self._safety = parts.safety
        self._settings = parts.settings
        self._clock = parts.clock
        self._rng = random.SystemRandom()

    def _bounced(self, message: WarmupMessage, sender: InboxRecord) -> bool:
        """One of the sender's messages bounced (a 5xx at RCPT or DATA, or a DSN naming it):
        counted once, the sender paused, the recipient out of the pool."""
        day_seconds = self._settings.warmup_day_seconds
        count = day_count(sender, message.sender_day, day_seconds, bounced=1)
        if not self._messages.bounced(message, count):
            return False
        self._safety.pause(message.sender_workspace_id, message.sender_id, "BOUNCE")
        self._safety.pause(
            message.recipient_workspace_id, message.recipient_id, "RECIPIENT_BOUNCED"
        )
        return True


def day_count(inbox: InboxRecord, day: int, day_seconds: int, **counts: int) -> DayCount:
    """Statistics to add to the inbox's warm-up day `day`."""
    started = parse(inbox.warmup_started_at) if inbox.warmup_started_at else None
    date = stamp(day_start(started, day, day_seconds)) if started else ""
    return DayCount(inbox.inbox_id, day, date, counts)
