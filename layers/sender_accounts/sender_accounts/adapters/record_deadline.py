"""Each queue record's own deadline, well inside its function's timeout: a record that is
still running then fails alone (SQS redelivers it, partial batch failure), and the records
beside it in the batch, other workspaces' among them, are reported as they ended."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

from sender_accounts.mail.deadlines import within

T = TypeVar("T")

# Kept back from the function's timeout for the batch's own writes after its records.
RESERVE_SECONDS = 8.0
SHORTEST_SECONDS = 1.0


class RecordTimedOut(Exception):
    """A record ran past its deadline; it is failed and redelivered."""


def seconds_left(context: Any) -> float:
    remaining = context.get_remaining_time_in_millis() / 1000 if context is not None else 60.0
    return max(SHORTEST_SECONDS, remaining - RESERVE_SECONDS)


async def within_record_deadline(context: Any, step: Awaitable[T]) -> T:
    seconds = seconds_left(context)
    try:
        return await within(seconds, step)
    except TimeoutError:
        raise RecordTimedOut(f"The record did not finish within {seconds:.0f} s") from None
