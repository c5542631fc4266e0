"""The deadline of an operation (a check, a connection, a test email) that its steps share:
what runs inside it takes only what is left. Synchronous, and free of asyncio, so a use case
can hold a deadline before it knows whether it will connect anywhere."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# The deadline of the operation in progress (a check, a connection, a test email), as a
# monotonic time: what runs inside it, the token request before the logins among them, takes
# only what is left of it.
_operation_ends: ContextVar[float | None] = ContextVar("operation_ends", default=None)


@contextmanager
def operation_deadline(seconds: float) -> Iterator[None]:
    """Everything inside ends within `seconds` (or the enclosing deadline, if sooner)."""
    ends = time.monotonic() + seconds
    outer = _operation_ends.get()
    token = _operation_ends.set(ends if outer is None else min(outer, ends))
    try:
        yield
    finally:
        _operation_ends.reset(token)


def time_left(ceiling: float) -> float:
    """`ceiling`, or what is left of the operation's deadline when that is less (0 at most)."""
    ends = _operation_ends.get()
    if ends is None:
        return ceiling
    return max(0.0, min(ceiling, ends - time.monotonic()))
