"""Emulation fix: a Query page costs its own items, as in DynamoDB.

moto answers every Query by sorting every item of the table, then walking the sorted list from
its start to the ExclusiveStartKey: a page of a 30-inbox workspace took 5 ms in a table of 30
items and 100 ms in one of 3,030, and a list index page grew with the table too. That hides the
product's own cost. Here each (table, index) keeps its partitions in key order, built once and
then moved item by item as writes land (writes are serialized by emulation_fixes; a table's
creation or deletion, or a long gap, builds it again); a query then bisects to its start key
and reads at most its Limit.

Only the shapes the product uses take this path (one hash key, at most one range condition, no
legacy QueryFilter); anything else is answered by moto as before. Results are the same: the
range condition, Limit, filter, projection and LastEvaluatedKey follow moto's own rules.
"""

from __future__ import annotations

import bisect
import copy
import functools
import threading
from dataclasses import dataclass, field
from typing import Any, cast

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import RESULT_SIZE_LIMIT, Table

from .emulation_fixes import serialized_writes

# Per table: a count of the writes to it, and the keys each wrote (None: the table itself
# changed, or the keys are unknown). A cached order older than the count is brought up to date
# from the keys written since (each re-read from the table), so an order costs what was written
# since it was built, not the table's size: a planner that queries, writes, queries again
# over a table of 10,000 items paid a full sort of its index per query before.
_generations: dict[str, int] = {}
_written: dict[str, list[tuple[int, Any]]] = {}
_KEPT_WRITES = 4096  # per table; an order further behind is built again
_cache: dict[tuple[str, str | None], _Order] = {}
_cache_lock = threading.Lock()  # held while an order is read or brought up to date
_log_lock = threading.Lock()  # a leaf: a write inside a transaction takes it under the writes' lock
_WRITES = (
    "put_item",
    "update_item",
    "delete_item",
    "transact_write_items",
    "batch_write_item",
    "create_table",
    "delete_table",
    "update_table",
)


def apply_query_pages() -> None:
    """Idempotent."""
    if getattr(Table.query, "_paged", False):
        return
    original = Table.query

    @functools.wraps(original)
    def query(self: Table, *args: Any, **kwargs: Any) -> Any:
        fast = _fast_query(self, *args, **kwargs)
        return original(self, *args, **kwargs) if fast is None else fast

    query._paged = True  # type: ignore[attr-defined]
    Table.query = query  # type: ignore[method-assign]
    for name in _WRITES:
        write = getattr(DynamoDBBackend, name)

        @functools.wraps(write)
        def counted(
            self: Any, *args: Any, __write: Any = write, __name: str = name, **kwargs: Any
        ) -> Any:
            try:
                return __write(self, *args, **kwargs)
            finally:
                # After the write: an order built meanwhile is behind by it, never ahead.
                written = _keys_written(self, __name, args, kwargs)
                with _log_lock:
                    for table, key in written:
                        _note_write(table, key)

        setattr(DynamoDBBackend, name, counted)


def _note_write(table: str, key: Any) -> None:
    generation = _generations[table] = _generations.get(table, 0) + 1
    written = _written.setdefault(table, [])
    written.append((generation, key))
    if len(written) > 2 * _KEPT_WRITES:
        del written[:-_KEPT_WRITES]


def _keys_written(
    backend: Any, operation: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> list[tuple[str, Any]]:
    """(table, (hash, range) as stored) per item written; (table, None) for the table."""
    if operation == "transact_write_items":
        items = args[0] if args else kwargs["transact_items"]
        written = []
        for entry in items:
            for request in entry.values():
                name = str(request["TableName"])
                key = request.get("Key") or request.get("Item")
                written.append((name, _stored_key(backend, name, key)))
        return written
    name = str(args[0] if args else kwargs.get("table_name", kwargs.get("name")))
    if operation in ("put_item", "update_item", "delete_item"):
        key = args[1] if len(args) > 1 else kwargs.get("item_attrs", kwargs.get("key"))
        return [(name, _stored_key(backend, name, key))]
    return [(name, None)]


def _stored_key(backend: Any, name: str, attributes: Any) -> Any:
    table = backend.tables.get(name)
    if table is None or not isinstance(attributes, dict):
        return None
    try:
        hash_value = DynamoType(attributes[table.hash_key_attr])
        range_value = DynamoType(attributes[table.range_key_attr]) if table.range_key_attr else None
    except (KeyError, TypeError):
        return None
    return hash_value, range_value


def _key_attributes(table: Table, index_name: str | None) -> tuple[str, str | None] | None:
    if index_name is None:
        return table.hash_key_attr, table.range_key_attr
    index = next((i for i in table.all_indexes() if i.name == index_name), None)
    if index is None:
        return None
    hashes = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
    ranges = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
    if len(hashes) != 1 or len(ranges) > 1:
        return None
    return hashes[0], (ranges[0] if ranges else None)


def _order(
    table: Table, index_name: str | None, range_attr: str | None, attrs: Any
) -> tuple[Any, ...]:
    """The entry's place as plain values (strings compare as DynamoDB's UTF-8 bytes do)."""
    if index_name is None:
        return (attrs[range_attr].cast_value,) if range_attr else ()
    # As moto orders index entries: the index's range key, then the table's key.
    keys = [range_attr, table.hash_key_attr, table.range_key_attr]
    return tuple(attrs[k].cast_value for k in keys if k is not None)


def _every_item(table: Table) -> Any:
    # The items as stored, unsorted (moto's all_items() sorts the whole table first).
    for stored in table.items.values():
        if table.range_key_attr:
            yield from stored.values()
        else:
            yield stored


@dataclass
class _Partition:
    orders: list[tuple[Any, ...]] = field(default_factory=list)
    firsts: list[Any] = field(default_factory=list)  # the range key alone, for key conditions
    items: list[Item] = field(default_factory=list)

    def insert(self, order: tuple[Any, ...], item: Item) -> None:
        at = bisect.bisect_left(self.orders, order)
        self.orders.insert(at, order)
        self.firsts.insert(at, order[0] if order else None)
        self.items.insert(at, item)

    def remove(self, order: tuple[Any, ...]) -> None:
        at = bisect.bisect_left(self.orders, order)
        if at < len(self.orders) and self.orders[at] == order:
            del self.orders[at], self.firsts[at], self.items[at]


@dataclass
class _Order:
    """An index's (or the table's) partitions in key order, as of `generation`, with where
    each stored key sits in it."""

    generation: int
    partitions: dict[Any, _Partition]
    places: dict[Any, tuple[Any, tuple[Any, ...]]]  # stored key -> (partition, order)


def _entry(
    table: Table, index_name: str | None, hash_attr: str, range_attr: str | None, item: Item
) -> tuple[Any, tuple[Any, ...]] | None:
    value = item.attrs.get(hash_attr)
    if value is None or (range_attr is not None and range_attr not in item.attrs):
        return None  # not in the index (sparse)
    return value.cast_value, _order(table, index_name, range_attr, item.attrs)


def _stored(table: Table, key: tuple[DynamoType, DynamoType | None]) -> Item | None:
    stored: Any = table.items.get(key[0])  # .get: the table's defaultdict must not grow
    if key[1] is None or stored is None:
        return cast(Item | None, stored)
    return cast(Item | None, stored.get(key[1]))


def _partitions(
    table: Table, index_name: str | None, hash_attr: str, range_attr: str | None
) -> dict[Any, _Partition]:
    with _cache_lock:
        cached = _cache.get((table.name, index_name))
        with _log_lock:
            generation = _generations.get(table.name, 0)
            if cached is not None and cached.generation == generation:
                return cached.partitions
            since = [
                key
                for at, key in _written.get(table.name, [])
                if cached is not None and at > cached.generation
            ]
        complete = cached is not None and len(since) == generation - cached.generation
        if cached is not None and complete and all(key is not None for key in since):
            _catch_up(table, index_name, hash_attr, range_attr, cached, set(since))
            cached.generation = generation
            return cached.partitions
        order = _built(table, index_name, hash_attr, range_attr)
        order.generation = generation
        _cache[(table.name, index_name)] = order
        return order.partitions


def _catch_up(
    table: Table,
    index_name: str | None,
    hash_attr: str,
    range_attr: str | None,
    cached: _Order,
    keys: set[Any],
) -> None:
    """Each key written since: out of its old place, into its new one (re-read as stored)."""
    with serialized_writes():
        current = {key: _stored(table, key) for key in keys}
    for key, item in current.items():
        plain = (key[0].cast_value, key[1].cast_value if key[1] is not None else None)
        old = cached.places.pop(plain, None)
        if old is not None:
            cached.partitions[old[0]].remove(old[1])
        new = None if item is None else _entry(table, index_name, hash_attr, range_attr, item)
        if new is not None:
            cached.partitions.setdefault(new[0], _Partition()).insert(new[1], item)  # type: ignore[arg-type]
            cached.places[plain] = new


def _built(table: Table, index_name: str | None, hash_attr: str, range_attr: str | None) -> _Order:
    # Under the writes' lock: a write landing mid-iteration would change the dict we walk.
    with serialized_writes():
        stored = list(_every_item(table))
    grouped: dict[Any, list[tuple[tuple[Any, ...], Item]]] = {}
    places: dict[Any, tuple[Any, tuple[Any, ...]]] = {}
    for item in stored:
        entry = _entry(table, index_name, hash_attr, range_attr, item)
        if entry is None:
            continue
        grouped.setdefault(entry[0], []).append((entry[1], item))
        places[_plain_key(table, item)] = entry
    partitions: dict[Any, _Partition] = {}
    for value, entries in grouped.items():
        entries.sort(key=lambda entry: entry[0])
        orders = [entry[0] for entry in entries]
        firsts = [order[0] if order else None for order in orders]
        partitions[value] = _Partition(orders, firsts, [entry[1] for entry in entries])
    return _Order(0, partitions, places)


def _plain_key(table: Table, item: Item) -> tuple[Any, Any]:
    range_value = item.attrs.get(table.range_key_attr) if table.range_key_attr else None
    return (
        item.attrs[table.hash_key_attr].cast_value,
        range_value.cast_value if range_value is not None else None,
    )


def _key_range(partition: _Partition, comparison: str | None, objs: list[DynamoType]) -> range:
    """The positions a key condition can match, found by bisection as DynamoDB seeks them."""
    firsts, size = partition.firsts, len(partition.firsts)
    values = [obj.cast_value for obj in objs]
    if not comparison or not firsts or firsts[0] is None:
        return range(0, size)
    if comparison == "BEGINS_WITH" and isinstance(values[0], str):
        lo = bisect.bisect_left(firsts, values[0])
        return range(lo, bisect.bisect_left(firsts, values[0] + "\U0010ffff", lo))
    if comparison in ("EQ", "="):
        return range(bisect.bisect_left(firsts, values[0]), bisect.bisect_right(firsts, values[0]))
    if comparison in ("<", "LT"):
        return range(0, bisect.bisect_left(firsts, values[0]))
    if comparison in ("<=", "LE"):
        return range(0, bisect.bisect_right(firsts, values[0]))
    if comparison in (">", "GT"):
        return range(bisect.bisect_right(firsts, values[0]), size)
    if comparison in (">=", "GE"):
        return range(bisect.bisect_left(firsts, values[0]), size)
    if comparison == "BETWEEN":
        return range(bisect.bisect_left(firsts, values[0]), bisect.bisect_right(firsts, values[1]))
    return range(0, size)


def _fast_query(
    table: Table,
    hash_key: DynamoType | None,
    range_comparison: str | None,
    range_objs: list[DynamoType],
    limit: int,
    exclusive_start_key: dict[str, Any] | None,
    scan_index_forward: bool,
    projection_expressions: list[list[str]] | None,
    index_name: str | None = None,
    consistent_read: bool = False,
    filter_expression: Any = None,
    hash_key_conditions: list[tuple[str, DynamoType]] | None = None,
    range_key_conditions: list[tuple[str, str, list[DynamoType]]] | None = None,
    **filter_kwargs: Any,
) -> tuple[list[Item], int, dict[str, Any] | None] | None:
    if filter_kwargs or hash_key is None or len(range_key_conditions or []) > 1:
        return None
    if len(hash_key_conditions or []) > 1:
        return None
    attributes = _key_attributes(table, index_name)
    if attributes is None:
        return None
    hash_attr, range_attr = attributes
    partition = _partitions(table, index_name, hash_attr, range_attr).get(
        hash_key.cast_value, _Partition()
    )
    orders = partition.orders
    window = _key_range(partition, range_comparison, range_objs)
    if exclusive_start_key:
        start_attrs = {name: DynamoType(value) for name, value in exclusive_start_key.items()}
        start = _order(table, index_name, range_attr, start_attrs)
        position = (
            bisect.bisect_right(orders, start, window.start, window.stop)
            if scan_index_forward
            else (bisect.bisect_left(orders, start, window.start, window.stop) - 1)
        )
    else:
        position = window.start if scan_index_forward else window.stop - 1
    step = 1 if scan_index_forward else -1
    results: list[Item] = []
    size = scanned = 0
    last_evaluated_key = None
    while window.start <= position < window.stop:
        item = partition.items[position]
        position += step
        if len(results) == limit or size + item.size() > RESULT_SIZE_LIMIT:
            last_evaluated_key = table._get_last_evaluated_key(results[-1], index_name)
            break
        if range_comparison:
            value = item.attrs.get(range_attr) if range_attr else None
            if value is None or not value.compare(range_comparison, range_objs):
                continue
        results.append(item)
        size += item.size()
        scanned += 1
    results = copy.deepcopy(results)
    if index_name:
        index = table.get_index(index_name)
        results = [index.project(r) for r in results]
    if filter_expression is not None:
        results = [r for r in results if filter_expression.expr(r)]
    if projection_expressions:
        results = [r.project(projection_expressions) for r in results]
    return results, scanned, last_evaluated_key
