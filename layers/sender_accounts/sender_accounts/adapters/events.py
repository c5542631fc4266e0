"""Lifecycle events on the stack's EventBridge bus, for integrators. Never a secret."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.adapters.observability import logger
from sender_accounts.common.events import LifecycleEvent

SOURCE = "sender-accounts"


class EventPublisher:
    def __init__(self, events_client: Any, bus_name: str) -> None:
        self._events = events_client
        self._bus = bus_name

    def publish(self, event: LifecycleEvent) -> None:
        self.publish_all([event])

    def publish_all(self, events: Sequence[LifecycleEvent]) -> None:
        """Ten a call. Best effort: the changes are already stored, so a failed publish is
        logged, not raised."""
        if not self._bus or not events:
            return
        now = datetime.now(UTC).isoformat()
        entries = [
            {
                "Source": SOURCE,
                "DetailType": event.detail_type,
                "EventBusName": self._bus,
                "Detail": json.dumps({**event.event_detail(), "occurred_at": now}),
            }
            for event in events
        ]
        for start in range(0, len(entries), 10):
            chunk = entries[start : start + 10]
            try:
                result = self._events.put_events(Entries=chunk)
                failed = int(result.get("FailedEntryCount", 0))
            except (ClientError, BotoCoreError):
                failed = len(chunk)
            if failed:
                logger.warning("events not published", extra={"count": failed})
