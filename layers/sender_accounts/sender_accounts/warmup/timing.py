"""Warm-up's clock: how its times are written (one sortable form, to the millisecond), and when a
recipient's mailbox is looked at. Arrivals share check slots on a grid of a tenth of a day
(shifted per recipient), so one IMAP session finds every message that arrived in between."""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime, timedelta

CHECKS_PER_DAY = 10


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_slot(inbox_id: str, earliest: datetime, day_seconds: int) -> datetime:
    """The first of the recipient's check slots at or after `earliest`."""
    spacing = max(1.0, day_seconds / CHECKS_PER_DAY)
    phase = int(hashlib.sha256(inbox_id.encode()).hexdigest()[:8], 16) % int(spacing)
    epoch = earliest.timestamp() - phase
    return datetime.fromtimestamp(math.ceil(epoch / spacing) * spacing + phase, UTC)


def after(moment: datetime, seconds: float) -> datetime:
    return moment + timedelta(seconds=seconds)
