"""Which inboxes are due for a scheduled check, found without reading the table.

Every monitored inbox (ACTIVE, PAUSED, DISABLED) carries `next_check_at` and a shard,
`due_shard` = `DUE#00`..`DUE#15` from a hash of its id: the `due-by-time` index (keys only)
is partitioned by shard and sorted by time, so a sweep asks each shard for the entries at or
before now, and no single partition takes every workspace's schedule. A sweep claims an
entry by moving its time forward with a condition on the time it saw: two sweeps never queue
one inbox twice, and a claim whose check never happens comes due again when it expires.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.store.dynamo import Dynamo, serialize
from sender_accounts.store.keys import INBOX_PREFIX, inbox_key, workspace_key
from sender_accounts.store.records import InboxRecord

DUE_INDEX = "due-by-time"
DUE_SHARDS = 16
MONITORED_STATUSES = frozenset({"ACTIVE", "PAUSED", "DISABLED"})


def due_shard(inbox_id: str) -> str:
    digest = hashlib.sha256(inbox_id.encode()).hexdigest()
    return f"DUE#{int(digest[:8], 16) % DUE_SHARDS:02d}"


def due_attributes(inbox: InboxRecord) -> dict[str, Any]:
    """What puts a monitored inbox with a next check time in the due index."""
    if inbox.overall_status in MONITORED_STATUSES and inbox.next_check_at:
        return {"due_shard": due_shard(inbox.inbox_id)}
    return {}


@dataclass(frozen=True)
class DueEntry:
    workspace_id: str
    inbox_id: str
    next_check_at: str


class DueIndex:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table

    def due(self, shard: str, now: str, limit: int) -> Iterator[DueEntry]:
        """The shard's entries due at `now`, earliest first, at most `limit`."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": DUE_INDEX,
            "KeyConditionExpression": "due_shard = :shard AND next_check_at <= :now",
            "ExpressionAttributeValues": serialize({":shard": shard, ":now": now}),
            "Limit": min(limit, 100),
        }
        for given, item in enumerate(self._db.query_all(**request), start=1):
            yield DueEntry(
                item["pk"].removeprefix(workspace_key("")),
                item["sk"].removeprefix(INBOX_PREFIX),
                item["next_check_at"],
            )
            if given >= limit:
                return

    def claim(self, entry: DueEntry, until: str) -> bool:
        """Move the entry's time to `until` if nobody moved it since it was read."""
        try:
            self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(inbox_key(entry.workspace_id, entry.inbox_id)),
                UpdateExpression="SET next_check_at = :until",
                ConditionExpression="next_check_at = :seen",
                ExpressionAttributeValues=serialize(
                    {":until": until, ":seen": entry.next_check_at}
                ),
            )
        except ClientError:  # claimed by another sweep, checked meanwhile, or deleted
            return False
        return True


def shards() -> list[str]:
    return [f"DUE#{n:02d}" for n in range(DUE_SHARDS)]
