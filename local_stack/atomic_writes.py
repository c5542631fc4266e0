"""DynamoDB's per-item atomicity, which the emulation lacks under concurrent requests.

Real DynamoDB evaluates a condition and applies the write as one step, so two concurrent
conditional puts of one key cannot both succeed; moto's threaded server checks, then writes.
Serializing moto's write operations restores the guarantee the product relies on (address
uniqueness, exactly-once counters) without changing what any request does.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from moto.dynamodb.models import DynamoDBBackend

_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items")
_lock = threading.RLock()


def make_dynamodb_writes_atomic() -> None:
    for name in _WRITES:
        original = getattr(DynamoDBBackend, name)
        if getattr(original, "_atomic", False):
            continue

        @functools.wraps(original)
        def atomic(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with _lock:
                return __original(self, *args, **kwargs)

        atomic._atomic = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, atomic)
