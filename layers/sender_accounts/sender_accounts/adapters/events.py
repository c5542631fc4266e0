"""Lifecycle events on the stack's EventBridge bus, for integrators. Never a secret."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.adapters.observability import logger

SOURCE = "sender-accounts"


class EventPublisher:
    def __init__(self, events_client: Any, bus_name: str) -> None:
        self._events = events_client
        self._bus = bus_name

    def publish(self, detail_type: str, detail: dict[str, Any]) -> None:
        self.publish_all([(detail_type, detail)])

    def publish_all(self, events: list[tuple[str, dict[str, Any]]]) -> None:
        """Ten a call. Best effort: the changes are already stored, so a failed publish is
        logged, not raised."""
        if not self._bus or not events:
            return
        now = datetime.now(UTC).isoformat()
        entries = [
            {
                "Source": SOURCE,
                "DetailType": detail_type,
                "EventBusName": self._bus,
                "Detail": json.dumps({**detail, "occurred_at": now}),
            }
            for detail_type, detail in events
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
