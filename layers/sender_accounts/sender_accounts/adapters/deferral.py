"""Queue work over a bound on mail connections waits for capacity instead of failing.

Its message goes back on its queue, delayed until the bound should have room, and the record
counts as done. A plain redelivery would count against the queue's receive limit and, after
five, end in the dead-letter queue as a failure; a message put back waits as long as it needs.
If putting it back fails, the record fails and SQS redelivers it as usual: nothing is lost.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable
from typing import Any

from sender_accounts.adapters.observability import metrics

LONGEST_DELAY_SECONDS = 900  # SQS's longest message delay
SPREAD_SECONDS = 5  # work put back together does not all come back at the same second


def put_back(sqs: Any, queue_url: str, body: str, after_seconds: int) -> None:
    spread = random.randint(0, SPREAD_SECONDS)  # noqa: S311 - spreading load, not secrecy
    delay = min(LONGEST_DELAY_SECONDS, max(1, after_seconds) + spread)
    sqs.send_message(QueueUrl=queue_url, MessageBody=body, DelaySeconds=delay)
    metrics.add_metric(name="QueueWorkDeferred", unit="Count", value=1)


async def or_put_back(step: Awaitable[object], queue_url: str, body: str) -> None:
    """`step`, the record's work; over a bound, the record's message put back for later."""
    from sender_accounts.adapters.aws_clients import client
    from sender_accounts.errors import CapacityExceeded

    try:
        await step
    except CapacityExceeded as over:
        await asyncio.to_thread(put_back, client("sqs"), queue_url, body, over.retry_after)
