"""Where the AWS emulation differs from AWS in a way the product can feel, set right.

1. Atomicity. Real DynamoDB evaluates a condition and applies the write as one step, so two
   concurrent conditional puts of one key cannot both succeed; moto's threaded server checks,
   then writes. Its write operations are serialized here, restoring the guarantee the product
   relies on (address uniqueness, exactly-once counters).
2. Transaction cost. moto makes a deep copy of every table a transaction touches, once per
   item of the transaction, to roll back on failure: a four-item transaction over tables of a
   thousand items took 250 ms here and grew with the data. Instead, the items the transaction
   names are journaled and restored on failure, which is all a rollback needs.
3. Routing cost. moto's server lists its own package folder on disk for every request it
   routes; the list never changes while it runs, so it is read once.
4. Event cost. For every event and every target of a matching rule, moto parses each JSONPath
   of the target's input paths anew with a grammar-driven parser (about a millisecond a path,
   nine paths for the default input): a PutEvents call took 90 ms here. A parsed path is kept.
5. Answer cost. moto writes every DynamoDB answer by walking the operation's output shape value
   by value, items included, though an item is already in DynamoDB's JSON form: a page of ten
   inboxes took 50 ms to write, more than the query. The items are set aside while the shape's
   walk writes the rest, and put back as they are.
6. Queue cost. To read one setting of a queue (its retention period, for every message a
   receive returns), moto computes all of the queue's attributes, counting the visible,
   in-flight and delayed messages; each count asks every message whether it is visible, and
   each answer reads the clock through two datetime objects. Receiving a hundred messages from
   a queue of a hundred took about half a second of CPU. The retention period is read from
   the queue, and the clock as `time.time()`, which is what moto's datetime arithmetic
   computes.

None of these changes what any request answers.
"""

from __future__ import annotations

import base64
import copy
import functools
import threading
import time
from collections.abc import Iterable
from typing import Any

import moto.core.utils as moto_utils
import moto.dynamodb.models as dynamodb_models
from moto import backends
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items")
_lock = threading.RLock()


def serialized_writes() -> threading.RLock:
    """The lock every DynamoDB write holds: a reader that walks a table's items takes it too."""
    return _lock


def apply_emulation_fixes() -> None:
    """Idempotent; called before the emulation starts."""
    _journal_transactions()
    _serialize_writes()
    _cache_module_list()
    _cache_event_paths()
    _answer_items_as_they_are()
    _cheap_queue_clock()


def _serialize_writes() -> None:
    for name in _WRITES:
        original = getattr(DynamoDBBackend, name)
        if getattr(original, "_serialized", False):
            continue

        @functools.wraps(original)
        def serialized(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with _lock:
                return __original(self, *args, **kwargs)

        serialized._serialized = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, serialized)


class _CopyWithoutTables:
    """Stands in for the copy module inside moto's DynamoDB backend: a table is not copied
    (the journal restores what a failed transaction touched)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


JournalEntry = tuple[Table, DynamoType, DynamoType | None, Any]


def _journal(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> list[JournalEntry]:
    entries: list[JournalEntry] = []
    for entry in transact_items:
        operation = next(iter(entry.values()))
        table = backend.tables.get(operation.get("TableName"))
        source = operation.get("Key") or operation.get("Item") or {}
        if table is None or table.hash_key_attr not in source:
            continue
        hash_key = DynamoType(source[table.hash_key_attr])
        range_key = None
        if table.range_key_attr is not None:
            if table.range_key_attr not in source:
                continue
            range_key = DynamoType(source[table.range_key_attr])
        current = table.get_item(hash_key, range_key)
        entries.append((table, hash_key, range_key, copy.deepcopy(current)))
    return entries


def _restore(entries: list[JournalEntry]) -> None:
    for table, hash_key, range_key, snapshot in reversed(entries):
        if range_key is None:
            if snapshot is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = snapshot
            continue
        bucket = table.items[hash_key]
        if snapshot is None:
            bucket.pop(range_key, None)
        else:
            bucket[range_key] = snapshot
        if not bucket:
            table.items.pop(hash_key, None)


def _journal_transactions() -> None:
    original = DynamoDBBackend.transact_write_items
    if getattr(original, "_journaled", False):
        return
    dynamodb_models.copy = _CopyWithoutTables()  # type: ignore[assignment]

    @functools.wraps(original)
    def journaled(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        entries = _journal(self, transact_items)
        try:
            original(self, transact_items)
        except Exception:
            _restore(entries)
            raise

    journaled._journaled = True  # type: ignore[attr-defined]
    DynamoDBBackend.transact_write_items = journaled  # type: ignore[method-assign]


def _cache_module_list() -> None:
    if getattr(backends.list_of_moto_modules, "_cached", False):
        return
    modules = tuple(backends.list_of_moto_modules())

    def cached() -> Iterable[str]:
        return modules

    cached._cached = True  # type: ignore[attr-defined]
    backends.list_of_moto_modules = cached


def _cache_event_paths() -> None:
    import jsonpath_ng.ext  # moto's event input transformer imports `parse` from here per call

    if getattr(jsonpath_ng.ext.parse, "_cached", False):
        return
    cached = functools.lru_cache(maxsize=512)(jsonpath_ng.ext.parse)
    cached._cached = True  # type: ignore[attr-defined]
    jsonpath_ng.ext.parse = cached


# The answer fields of DynamoDB's operations that hold items or keys in DynamoDB's JSON form
_ITEM_FIELDS = ("Item", "Items", "Attributes", "LastEvaluatedKey", "Responses", "UnprocessedKeys")


def _blob_as_base64(value: Any) -> str:
    if isinstance(value, bytes | bytearray):  # a binary attribute, as DynamoDB's JSON writes it
        return base64.b64encode(value).decode()
    raise TypeError(f"{type(value).__name__} in a DynamoDB answer")


def _answer_items_as_they_are() -> None:
    import json

    from moto.dynamodb.responses import DynamoResult

    if getattr(DynamoResult.execute_result, "_items_as_they_are", False):
        return
    standard = DynamoResult.execute_result

    def items_as_they_are(self: Any, context: Any) -> Any:
        result = self.result
        items = {k: result[k] for k in _ITEM_FIELDS if isinstance(result, dict) and k in result}
        if not items:
            return standard(self, context)
        rest = DynamoResult({k: v for k, v in result.items() if k not in items})
        status, headers, body = standard(rest, context)
        answer = json.loads(body) if body else {}
        answer.update(items)
        return status, headers, json.dumps(answer, default=_blob_as_base64)

    items_as_they_are._items_as_they_are = True  # type: ignore[attr-defined]
    items_as_they_are.standard = standard  # type: ignore[attr-defined]
    DynamoResult.execute_result = items_as_they_are  # type: ignore[method-assign]


def _now_seconds(dt: Any = None) -> float:
    return time.time() if dt is None else moto_utils.unix_time(dt)


def _now_millis(dt: Any = None) -> float:
    return _now_seconds(dt) * 1000.0


def _cheap_queue_clock() -> None:
    import moto.sqs.models as sqs_models

    if sqs_models.unix_time is _now_seconds:
        return
    sqs_models.unix_time = _now_seconds
    sqs_models.unix_time_millis = _now_millis

    def retained(self: Any, queue_name: str, message: Any) -> bool:
        queue = self.get_queue(queue_name)
        return bool(queue.message_retention_period + message.sent_timestamp / 1000 > time.time())

    sqs_models.SQSBackend.is_message_valid_based_on_retention_period = retained  # type: ignore[method-assign]
