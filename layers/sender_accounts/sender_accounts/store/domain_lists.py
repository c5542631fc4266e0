"""Domain list pages that cost what they show, whatever the workspace's size.

Each domain item carries `lk_d` (its workspace) and `ls_dcreated` (creation time, then id):
the `domains-by-created` index holds those keys and `pending_until` only, so skipping to an
offset page reads small entries, and a page's own items are then read by key. A registration
whose ownership was never proven lapses at `pending_until`: pages leave it out from that moment,
with a filter on the index entry.

The total is one item read: the workspace's `domains` counter counts every domain item, pending
or proven, moved in the same transactions that register, delete and remove a lapsed one. Proving
ownership does not touch it, so the total is exact at every moment, whatever proves concurrently
(a pending and a proven count read apart could miss a domain proven between the two reads).
Lapsed registrations are removed by the lists themselves (found on the sparse `domains-pending`
index, keys sorted by `pending_until`), never by TTL, which would leave the counter behind.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.store.dynamo import Dynamo, deserialize, serialize
from sender_accounts.store.keys import workspace_key
from sender_accounts.store.list_index import count_change, counter_key
from sender_accounts.store.records import DomainRecord

LIST_INDEX = "domains-by-created"
PENDING_INDEX = "domains-pending"
DOMAIN_COUNTER = "domains"
_ENTRY_KEYS = ("pk", "sk", "lk_d", "ls_dcreated")
_READ_CHUNK = 1000


def domain_index_attributes(workspace_id: str, domain_id: str, created_at: str) -> dict[str, str]:
    """What puts a domain in the workspace's domain indexes."""
    return {"lk_d": workspace_key(workspace_id), "ls_dcreated": f"{created_at}#{domain_id}"}


@dataclass(frozen=True)
class DomainPage:
    items: list[DomainRecord]
    last_key: dict[str, Any] | None  # where the next page starts; None: nothing after it


class DomainLists:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table_name

    def page(
        self,
        workspace_id: str,
        limit: int,
        start: dict[str, Any] | None = None,
        skip: int = 0,
        now: float | None = None,
    ) -> DomainPage:
        """`limit` domains, newest first, after skipping `skip` (index entries only) from
        `start` (a previous page's last key)."""
        moment = int(now if now is not None else time.time())
        position = start
        if skip:
            entries = self._entries(workspace_id, position, skip, moment)
            if len(entries) < skip:
                return DomainPage([], None)
            position = _entry_key(entries[-1])
        entries = self._entries(workspace_id, position, limit + 1, moment)
        shown, more = entries[:limit], len(entries) > limit
        keys = [{"pk": entry["pk"], "sk": entry["sk"]} for entry in shown]
        found = {
            (item["pk"], item["sk"]): DomainRecord.model_validate(item)
            for item in self._db.batch_get(self._table, keys, consistent=True)
        }
        # In the index's order; one deleted since the index was read is left out.
        items = [found[(k["pk"], k["sk"])] for k in keys if (k["pk"], k["sk"]) in found]
        return DomainPage(items, _entry_key(shown[-1]) if more and shown else None)

    def count(self, workspace_id: str, now: float | None = None) -> int:
        """Every domain of the workspace, after removing the registrations that lapsed."""
        self.remove_lapsed(workspace_id, now)
        response = self._db.call(
            "get_item",
            TableName=self._table,
            Key=serialize(counter_key(workspace_id)),
            ProjectionExpression="#c",
            ExpressionAttributeNames={"#c": DOMAIN_COUNTER},
            ConsistentRead=True,
        )
        return max(0, int(deserialize(response.get("Item", {})).get(DOMAIN_COUNTER, 0)))

    def remove_lapsed(self, workspace_id: str, now: float | None = None) -> int:
        """Delete the pending registrations past their time, each with its count; one that a
        concurrent request removed or proved first is left to it. Returns how many went."""
        moment = int(now if now is not None else time.time())
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": PENDING_INDEX,
            "KeyConditionExpression": "lk_d = :ws AND pending_until < :now",
            "ExpressionAttributeValues": serialize(
                {":ws": workspace_key(workspace_id), ":now": moment}
            ),
        }
        removed = 0
        while True:
            answer = self._db.call("query", **request)
            for entry in answer.get("Items", []):
                removed += self._remove(workspace_id, {k: entry[k] for k in ("pk", "sk")}, moment)
            if "LastEvaluatedKey" not in answer:
                return removed
            request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def _remove(self, workspace_id: str, key: dict[str, Any], moment: int) -> int:
        lapsed = {
            "Delete": {
                "TableName": self._table,
                "Key": key,
                "ConditionExpression": "#s = :pending AND pending_until < :now",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": serialize({":pending": "PENDING", ":now": moment}),
            }
        }
        try:
            self._db.transact(
                [lapsed, count_change(self._table, workspace_id, {DOMAIN_COUNTER: -1})]
            )
        except ClientError:
            return 0
        return 1

    def _entries(
        self, workspace_id: str, start: dict[str, Any] | None, wanted: int, now: int
    ) -> list[dict[str, Any]]:
        """Up to `wanted` unexpired index entries, newest first, from `start`."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": LIST_INDEX,
            "KeyConditionExpression": "lk_d = :ws",
            "FilterExpression": "attribute_not_exists(pending_until) OR pending_until >= :now",
            "ExpressionAttributeValues": serialize(
                {":ws": workspace_key(workspace_id), ":now": now}
            ),
            "ScanIndexForward": False,
        }
        if start:
            request["ExclusiveStartKey"] = serialize(start)
        entries: list[dict[str, Any]] = []
        while len(entries) < wanted:
            request["Limit"] = min(_READ_CHUNK, wanted - len(entries))
            answer = self._db.call("query", **request)
            entries.extend(deserialize(raw) for raw in answer.get("Items", []))
            if "LastEvaluatedKey" not in answer:
                break
            request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        return entries[:wanted]


def _entry_key(entry: dict[str, Any]) -> dict[str, Any]:
    return {name: entry[name] for name in _ENTRY_KEYS}
