"""Deadlines that hold whatever the other side does.

`asyncio.wait_for` and `asyncio.timeout` cancel the late step and then wait for it to finish:
a step that does not end on cancellation (aioimaplib re-acquires its state lock on the way
out, behind a command that never times out) keeps its caller past every deadline. Here a late
step is cancelled and abandoned after a short grace; the caller's own cancellation is passed
on to the step and never swallowed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
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
