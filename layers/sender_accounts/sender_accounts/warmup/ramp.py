"""How many warm-up emails an inbox sends on each of its warm-up days, and when.

Day n of an inbox is floor((now - warmup_started_at) / day_seconds) + 1: a day is a whole day from
the moment warm-up starts, so the ramp is exact whatever the day's length (short days run it in
minutes locally). Day 1 sends `start_per_day` (at most the cap), then `daily_rampup` more each
day up to the cap `emails_per_day`; without the ramp, the cap from day 1. Warm-up counts against
the inbox's daily limit together with every other send (SmartLead's rule).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

DEFAULT_START_PER_DAY = 2
DEFAULT_DAILY_RAMPUP = 5
DEFAULT_EMAILS_PER_DAY = 20


@dataclass(frozen=True)
class Ramp:
    emails_per_day: int = DEFAULT_EMAILS_PER_DAY  # the cap (SmartLead's total_warmup_per_day)
    daily_rampup: int = DEFAULT_DAILY_RAMPUP
    start_per_day: int = DEFAULT_START_PER_DAY
    is_rampup_enabled: bool = True

    def target(self, day: int) -> int:
        """The warm-up emails to send on warm-up day `day` (1 is the first)."""
        if not self.is_rampup_enabled:
            return self.emails_per_day
        first = min(self.start_per_day, self.emails_per_day)
        return min(self.emails_per_day, first + (max(day, 1) - 1) * self.daily_rampup)

    @classmethod
    def from_settings(cls, warmup: Mapping[str, Any]) -> Ramp:
        """The ramp an inbox's stored `warmup` settings describe, defaults where unset."""
        given = {name: warmup[name] for name in RAMP_SETTINGS if warmup.get(name) is not None}
        return cls(**given)


RAMP_SETTINGS = ("emails_per_day", "daily_rampup", "start_per_day", "is_rampup_enabled")


def warmup_day(started_at: datetime, now: datetime, day_seconds: int) -> int:
    """Which warm-up day `now` falls in; 1 until the first whole day has passed."""
    elapsed = (now - started_at).total_seconds()
    return max(0, int(elapsed // day_seconds)) + 1


def day_start(started_at: datetime, day: int, day_seconds: int) -> datetime:
    return started_at + timedelta(seconds=(day - 1) * day_seconds)


def sends_left(target: int, sent_warmup: int, sent_today: int, daily_limit: int) -> int:
    """What may still be sent today: the day's target less what warm-up sent, and never past
    the daily limit that every send of the inbox shares."""
    return max(0, min(target - sent_warmup, daily_limit - sent_today))


def send_times(start: datetime, day_seconds: int, count: int, rng: random.Random) -> list[datetime]:
    """`count` moments spread over the day that begins at `start`: one in each equal slice of
    it, jittered within its slice, so never bunched and never past the day's end."""
    if count <= 0:
        return []
    slice_seconds = day_seconds / count
    return [
        start + timedelta(seconds=index * slice_seconds + rng.uniform(0, slice_seconds * 0.999))
        for index in range(count)
    ]
