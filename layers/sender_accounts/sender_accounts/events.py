"""Lifecycle events on the stack's EventBridge bus, for integrators. Never a secret."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .observability import logger

SOURCE = "sender-accounts"


class EventPublisher:
    def __init__(self, events_client: Any, bus_name: str) -> None:
        self._events = events_client
        self._bus = bus_name

    def publish(self, detail_type: str, detail: dict[str, Any]) -> None:
        """Best effort: the change is already stored, so a failed publish is logged, not raised."""
        if not self._bus:
            return
        entry = {
            "Source": SOURCE,
            "DetailType": detail_type,
            "EventBusName": self._bus,
            "Detail": json.dumps({**detail, "occurred_at": datetime.now(UTC).isoformat()}),
        }
        try:
            result = self._events.put_events(Entries=[entry])
            if result.get("FailedEntryCount"):
                logger.warning("event not published", extra={"detail_type": detail_type})
        except (ClientError, BotoCoreError):
            logger.warning("event not published", extra={"detail_type": detail_type})
