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
from sender_accounts.store.warmup_messages import WarmupMessages
from sender_accounts.store.warmup_schedule import WarmupSchedule
from sender_accounts.warmup.safety import WarmupSafety


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
