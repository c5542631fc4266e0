"""Where the AWS emulation differs from AWS in a way the product can feel, set right.

1. DynamoDB's per-item atomicity, which the emulation lacks under concurrent requests. Real
DynamoDB evaluates a condition and applies the write as one step, so two concurrent
conditional puts of one key cannot both succeed; moto's threaded server checks, then writes.
Serializing moto's write operations restores the guarantee the product relies on (address
uniqueness, exactly-once counters) without changing what any request does.

2. The emulation's server lists its own package folder on disk for every request it routes;
the list never changes while it runs, so it is read once.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from typing import Any

from moto import backends
from moto.dynamodb.models import DynamoDBBackend

_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items")
_lock = threading.RLock()


def apply_emulation_fixes() -> None:
    """Idempotent; called before the emulation starts."""
    make_dynamodb_writes_atomic()
    _cache_module_list()


def _cache_module_list() -> None:
    if getattr(backends.list_of_moto_modules, "_cached", False):
        return
    modules = tuple(backends.list_of_moto_modules())

    def cached() -> Iterable[str]:
        return modules

    cached._cached = True  # type: ignore[attr-defined]
    backends.list_of_moto_modules = cached


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
