"""Whole inbox records for a list page, in one BatchGetItem per 100 (SmartLead's list shows
each account's connection and settings, which the list index's summary does not carry)."""

from __future__ import annotations

import time
from typing import Any

from sender_accounts.errors import DependencyUnavailable
from sender_accounts.store.dynamo import Dynamo, deserialize, serialize
from sender_accounts.store.keys import inbox_key
from sender_accounts.store.records import InboxRecord

BATCH_KEYS = 100
UNPROCESSED_ATTEMPTS = 5


class InboxBatches:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table_name

    def records(self, workspace_id: str, inbox_ids: list[str]) -> list[InboxRecord]:
        """The records of `inbox_ids` in their order; an inbox deleted meanwhile is left out."""
        found: dict[str, InboxRecord] = {}
        for start in range(0, len(inbox_ids), BATCH_KEYS):
            keys = [
                serialize(inbox_key(workspace_id, i)) for i in inbox_ids[start : start + BATCH_KEYS]
            ]
            for item in self._read(keys):
                record = InboxRecord.model_validate(item)
                found[record.inbox_id] = record
        return [found[i] for i in inbox_ids if i in found]

    def _read(self, keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        request = {self._table: {"Keys": keys, "ConsistentRead": True}}
        for attempt in range(UNPROCESSED_ATTEMPTS):
            response = self._db.call("batch_get_item", RequestItems=request)
            items.extend(deserialize(i) for i in response.get("Responses", {}).get(self._table, []))
            request = response.get("UnprocessedKeys") or {}
            if not request:
                return items
            time.sleep(0.05 * 2**attempt)  # DynamoDB asks to come back for what it throttled
        raise DependencyUnavailable("DynamoDB", "batch_get_item: keys left unprocessed")
