"""When an inbox is checked next: once per HEALTH_CHECK_INTERVAL_MINUTES, spread out.

A new inbox (just validated) gets its first scheduled check somewhere in its first interval,
so a thousand inboxes created by one bulk job do not come due together; after each check the
next is one interval on, ±10 %, so they keep drifting apart instead of falling into step.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sender_accounts.config import get_settings


def _after(moment: str, low: float, high: float) -> str:
    interval = get_settings().health_check_interval_minutes
    minutes = interval * random.uniform(low, high)  # noqa: S311 - spreading, not secrecy
    return (datetime.fromisoformat(moment) + timedelta(minutes=minutes)).isoformat()


def first_check_at(created_at: str) -> str:
    return _after(created_at, 0.1, 1.0)


def next_check_at(checked_at: str) -> str:
    return _after(checked_at, 0.9, 1.1)
