"""List pages from the list indexes (list_index.py): a page reads its own entries, plus the
ones before it for an offset page, never the workspace's other inboxes.

A filter the index's keys cannot answer (`health_below` under another order than health; a
warm-up status under another order than reputation; a type or status under the reputation order)
filters entries on the way: it reads at most SEARCH_READ_BOUND entries of the scope per request,
and counts its total within that bound. Search goes through the address search keys instead
(search_index.py). The reputation order over every warm-up status merges the walks of the
warm-up index's partitions (`merged_page`).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sender_accounts.common.statuses import WarmupStatus
from sender_accounts.store.dynamo import Dynamo, deserialize, serialize
from sender_accounts.store.keys import INBOX_PREFIX
from sender_accounts.store.list_index import (
    ListIndex,
    count_names,
    counter_key,
    health_band,
    health_key,
)
from sender_accounts.store.records import ListedInbox

SEARCH_READ_BOUND = 5000
_READ_CHUNK = 1000  # entries per request while skipping or filtering (well under 1 MB)


@dataclass(frozen=True)
class ListSpec:
    """One list query: the index that serves it, its direction and its filters."""

    index: ListIndex
    forward: bool
    health_below: float | None = None
    # Summary fields and the values they must equal, where the index's keys do not select them.
    equal: tuple[tuple[str, str], ...] = ()

    @property
    def filtered(self) -> bool:
        """A filter the index cannot answer with its keys: entries are read and tested."""
        by_key = self.index.sort_attribute == "ls_health"
        return bool(self.equal) or (self.health_below is not None and not by_key)


@dataclass(frozen=True)
class Chunk:
    items: list[ListedInbox]
    last_key: dict[str, Any] | None  # where the next read starts; None: nothing after it
    read: int  # index entries read


class InboxLists:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table_name

    def count(
        self,
        workspace_id: str,
        inbox_type: str | None,
        status: str | None,
        warmup: WarmupStatus | None = None,
    ) -> int:
        """From the counters the writes keep: one item read, whatever the workspace's size."""
        name = count_names(inbox_type, status, warmup)
        response = self._db.call(
            "get_item",
            TableName=self._table,
            Key=serialize(counter_key(workspace_id)),
            ProjectionExpression="#c",
            ExpressionAttributeNames={"#c": name},
        )
        return max(0, int(deserialize(response.get("Item", {})).get(name, 0)))

    def count_below(self, workspace_id: str, health_below: int) -> int:
        """Inboxes scoring below `health_below`, from the health-band counters: one item."""
        bands = [health_band(score) for score in range(health_below)]
        if not bands:
            return 0
        names = {f"#b{i}": band for i, band in enumerate(bands)}
        response = self._db.call(
            "get_item",
            TableName=self._table,
            Key=serialize(counter_key(workspace_id)),
            ProjectionExpression=", ".join(names),
            ExpressionAttributeNames=names,
        )
        counters = deserialize(response.get("Item", {}))
        return max(0, sum(int(counters.get(band, 0)) for band in bands))

    def page(
        self, spec: ListSpec, limit: int, start: dict[str, Any] | None = None, skip: int = 0
    ) -> Chunk:
        """`limit` summaries after skipping `skip` matching entries (read keys only), from
        `start` (a previous chunk's last key); one more is read to know whether any follows."""
        position, skipped_read = start, 0
        if skip:
            skipped = 0
            for _, key, entries_read in self._walk(spec, position, skip, keys_only=True):
                skipped, position, skipped_read = skipped + 1, key, entries_read
            if skipped < skip:
                return Chunk([], None, skipped_read)
        items: list[ListedInbox] = []
        read = 0
        for entry, key, read in self._walk(spec, position, limit + 1):
            if len(items) == limit:
                return Chunk(items, position, skipped_read + read)
            items.append(ListedInbox.model_validate(entry["summary"]))
            position = key
        return Chunk(items, None, skipped_read + read)

    def merged_page(
        self, specs: list[ListSpec], limit: int, beyond: str | None = None, skip: int = 0
    ) -> Chunk:
        """A page of one order over several partitions (every partition's entries are unique
        in its sort key): each partition reads at most what the page can take from it; the
        next page starts `beyond` the last sort key shown (`last_key` {"beyond": key})."""
        sort = specs[0].index.sort_attribute
        position = beyond
        if skip:
            skipped = 0
            for entry in self._merged(specs, position, skip, keys_only=True):
                skipped, position = skipped + 1, entry[sort]
            if skipped < skip:
                return Chunk([], None, skipped)
        items: list[ListedInbox] = []
        for entry in self._merged(specs, position, limit + 1):
            if len(items) == limit:
                return Chunk(items, {"beyond": position}, skip + len(items) + 1)
            items.append(ListedInbox.model_validate(entry["summary"]))
            position = entry[sort]
        return Chunk(items, None, skip + len(items))

    def _merged(
        self, specs: list[ListSpec], beyond: str | None, wanted: int, keys_only: bool = False
    ) -> Iterator[dict[str, Any]]:
        sort, forward = specs[0].index.sort_attribute, specs[0].forward
        walks = [
            (entry for entry, _, _ in self._walk(spec, None, wanted, keys_only, beyond=beyond))
            for spec in specs
        ]
        merged = heapq.merge(*walks, key=lambda entry: entry[sort], reverse=not forward)
        for found, entry in enumerate(merged, start=1):
            yield entry
            if found >= wanted:
                return

    def inbox_ids(self, spec: ListSpec, bound: int) -> list[str]:
        """The ids of the first `bound` entries in the index's order, keys only."""
        walk = self._walk(spec, None, bound, keys_only=True)
        return [entry["sk"].removeprefix(INBOX_PREFIX) for entry, _, _ in walk]

    def count_matching(self, specs: list[ListSpec]) -> int:
        """Matching entries within the read bound of each partition, keys only."""
        return sum(
            sum(1 for _ in self._walk(spec, None, wanted=None, keys_only=True, bounded=True))
            for spec in specs
        )

    def _walk(
        self,
        spec: ListSpec,
        start: dict[str, Any] | None,
        wanted: int | None,
        keys_only: bool = False,
        bounded: bool = False,
        beyond: str | None = None,
    ) -> Iterator[tuple[dict[str, Any], dict[str, Any], int]]:
        """Up to `wanted` matching entries in order (after the sort key `beyond`, if given),
        each with the key a read continuing after it starts from, and how many entries were
        read so far. Without filters a request asks for exactly what is still wanted; with
        them, entries are read in chunks, at most SEARCH_READ_BOUND of them."""
        request = self._request(spec, keys_only, beyond)
        if start:
            request["ExclusiveStartKey"] = serialize(start)
        bound = SEARCH_READ_BOUND if (spec.filtered or bounded) else None
        read = found = 0
        while True:
            if spec.filtered or wanted is None:
                limit = _READ_CHUNK if bound is None else min(_READ_CHUNK, bound - read)
            else:
                limit = min(_READ_CHUNK, wanted - found)
            if bound is not None:
                limit = min(limit, bound - read)
            if limit <= 0:
                return
            request["Limit"] = limit
            response = self._db.call("query", **request)
            raw_items = response.get("Items", [])
            read += int(response.get("ScannedCount", len(raw_items)))
            for raw in raw_items:
                entry = deserialize(raw)
                found += 1
                yield entry, _entry_key(entry, spec.index), read
                if wanted is not None and found >= wanted:
                    return
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _request(self, spec: ListSpec, keys_only: bool, beyond: str | None) -> dict[str, Any]:
        index = spec.index
        names = {"#p": index.partition_attribute}
        values: dict[str, Any] = {":p": index.partition_value}
        condition = "#p = :p"
        filters: list[str] = []
        if beyond is not None:
            condition += f" AND #s {'>' if spec.forward else '<'} :beyond"
            names["#s"] = index.sort_attribute
            values[":beyond"] = beyond
        for i, (field, value) in enumerate(spec.equal):
            names |= {"#sm": "summary", f"#e{i}": field}
            filters.append(f"#sm.#e{i} = :e{i}")
            values[f":e{i}"] = value
        if spec.health_below is not None:
            if index.sort_attribute == "ls_health":
                condition += " AND #s < :h"
                names["#s"] = index.sort_attribute
                values[":h"] = health_key(spec.health_below)
            else:
                names["#sm"] = "summary"
                filters.append("#sm.health_score < :below")
                values[":below"] = spec.health_below
        keys = ["pk", "sk", index.partition_attribute, index.sort_attribute]
        projected = [*dict.fromkeys(keys)] + ([] if keys_only else ["summary"])
        names.update({f"#k{i}": name for i, name in enumerate(projected)})
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index.name,
            "KeyConditionExpression": condition,
            "ScanIndexForward": spec.forward,
            "ProjectionExpression": ", ".join(f"#k{i}" for i in range(len(projected))),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": serialize(values),
        }
        if filters:
            request["FilterExpression"] = " AND ".join(filters)
        return request


def _entry_key(entry: dict[str, Any], index: ListIndex) -> dict[str, Any]:
    """An index entry's key: the table's key and the index's, as ExclusiveStartKey wants."""
    names = ("pk", "sk", index.partition_attribute, index.sort_attribute)
    return {name: entry[name] for name in dict.fromkeys(names)}
