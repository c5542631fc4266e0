"""Deadlines that hold whatever the other side does.

`asyncio.wait_for` and `asyncio.timeout` cancel the late step and then wait for it to finish:
a step that does not end on cancellation (aioimaplib re-acquires its state lock on the way
out, behind a command that never times out) keeps its caller past every deadline. Here a late
step is cancelled and abandoned after a short grace; the caller's own cancellation is passed
on to the step and never swallowed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

# Time a cancelled step is given to close its connection (an abort is immediate) before it is
# abandoned to the loop's end.
ABANDON_GRACE_SECONDS = 0.5


def _retrieve(task: asyncio.Future[Any]) -> None:
    # An abandoned step's outcome is of no interest; retrieved so asyncio does not log it.
    if not task.cancelled():
        task.exception()


def abandon(task: asyncio.Future[Any]) -> None:
    """Cancel `task` without waiting for it."""
    task.cancel()
    task.add_done_callback(_retrieve)


async def first_of(watched: set[asyncio.Future[Any]], seconds: float) -> set[asyncio.Future[Any]]:
    """The futures of `watched` done within `seconds` (none: the time ran out). A cancelled
    caller cancels them all before the cancellation goes on."""
    try:
        done, _ = await asyncio.wait(
            watched, timeout=max(0.0, seconds), return_when=asyncio.FIRST_COMPLETED
        )
    except asyncio.CancelledError:
        for future in watched:
            abandon(future)
        raise
    return done


async def within(seconds: float, step: Awaitable[T]) -> T:
    """`step`'s result, or TimeoutError once `seconds` have passed; the late step is cancelled
    and waited for at most ABANDON_GRACE_SECONDS."""
    task = asyncio.ensure_future(step)
    if task in await first_of({task}, seconds):
        return task.result()
    task.cancel()
    if not await first_of({task}, ABANDON_GRACE_SECONDS):
        abandon(task)
    elif not task.cancelled() and task.exception() is None:
        return task.result()  # it finished as the time ran out
    raise TimeoutError(f"No result within {seconds:g} s")


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
