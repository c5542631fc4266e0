"""Warm-up's schedule in the warm-up table, found without reading the table: `due-by-time`
(keys only; `due_shard` = `WD#00`..`WD#15`, `due_at`) lists each planned message at its send time
and each recipient's check slot (`CHECK#<workspace>#<inbox>`) at the time its mailbox is to be
looked at. The planner claims what is due (a lease: work whose worker never ran comes due again)
and puts it on the send or receive queue."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.store.dynamo import Dynamo, serialize
from sender_accounts.store.warmup_records import check_key

DUE_INDEX = "due-by-time"
DUE_SHARDS = 16
KEEP_SECONDS = 45 * 86400


def due_shard(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"WD#{int(digest[:8], 16) % DUE_SHARDS:02d}"


def due_shards() -> list[str]:
    return [f"WD#{n:02d}" for n in range(DUE_SHARDS)]


@dataclass(frozen=True)
class DueWork:
    """A planned message to send (`send_id`) or a recipient's mailbox to check."""

    pk: str
    sk: str
    due_at: str

    @property
    def send_id(self) -> str | None:
        return self.pk.removeprefix("MSG#") if self.pk.startswith("MSG#") else None

    @property
    def recipient(self) -> tuple[str, str]:
        _, workspace_id, inbox_id = self.pk.split("#", 2)
        return workspace_id, inbox_id


class WarmupSchedule:
    def __init__(self, dynamodb: Any, table: str, now_epoch: Any) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table
        self._epoch = now_epoch

    def _expires(self) -> int:
        return int(self._epoch()) + KEEP_SECONDS

    def due(self, shard: str, now: str, limit: int) -> Iterator[DueWork]:
        request = {
            "TableName": self._table,
            "IndexName": DUE_INDEX,
            "KeyConditionExpression": "due_shard = :shard AND due_at <= :now",
            "ExpressionAttributeValues": serialize({":shard": shard, ":now": now}),
            "Limit": min(limit, 200),
        }
        for given, item in enumerate(self._db.query_all(**request), start=1):
            yield DueWork(item["pk"], item["sk"], item["due_at"])
            if given >= limit:
                return

    def claim(self, work: DueWork, until: str) -> bool:
        """Move the work's time to `until` (its lease) if nobody did since it was read."""
        try:
            self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize({"pk": work.pk, "sk": work.sk}),
                UpdateExpression="SET due_at = :until",
                ConditionExpression="due_at = :seen",
                ExpressionAttributeValues=serialize({":until": until, ":seen": work.due_at}),
            )
        except ClientError:
            return False
        return True

    def expect_check(self, workspace_id: str, inbox_id: str, at: str) -> None:
        """A check of the recipient's mailbox at `at` (a slot: arrivals share it)."""
        key = check_key(workspace_id, inbox_id, at)
        item = {
            **key,
            "due_shard": due_shard(key["pk"]),
            "due_at": at,
            "expires_at": self._expires(),
        }
        try:
            self._db.call(
                "put_item",
                TableName=self._table,
                Item=serialize(item),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError:  # the slot exists already
            return

    def check_done(self, work: DueWork) -> None:
        self._db.call(
            "delete_item", TableName=self._table, Key=serialize({"pk": work.pk, "sk": work.sk})
        )

    def done(self, task: str) -> bool:
        """Whether a one-off task of the deployment (a migration) has run."""
        key = serialize({"pk": f"ONCE#{task}", "sk": "ONCE"})
        return "Item" in self._db.call("get_item", TableName=self._table, Key=key)

    def mark_done(self, task: str) -> None:
        item = serialize({"pk": f"ONCE#{task}", "sk": "ONCE"})
        self._db.call("put_item", TableName=self._table, Item=item)
