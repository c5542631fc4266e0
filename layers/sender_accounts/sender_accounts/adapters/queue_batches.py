"""The queue consumers' one pattern: a batch from SQS, each record handled on its own (partial
batch failure: a failed record alone is retried), the batch's events and its jobs finished once
at the end. Powertools' batch utility does the reporting; this keeps the shape in one place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    AsyncBatchProcessor,
    BatchProcessor,
    EventType,
    async_process_partial_response,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from sender_accounts.common.events import LifecycleEvent


@dataclass
class JobBatch:
    """What a batch's records leave for its end: events to publish, jobs to finish."""

    outbox: list[LifecycleEvent] = field(default_factory=list)
    job_ids: set[str] = field(default_factory=set)


def consume(
    event: dict[str, Any],
    context: Any,
    handle: Callable[[SQSRecord, JobBatch], None],
    finish: Callable[[JobBatch], None] | None = None,
) -> PartialItemFailureResponse:
    """Records one after another (work that is quick or holds no connection)."""
    batch = JobBatch()
    # A batch whose every record failed is reported like any other, record by record.
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    response = process_partial_response(
        event=event,
        record_handler=lambda record: handle(record, batch),
        processor=processor,
        context=context,
    )
    if finish is not None:
        finish(batch)
    return response


def consume_concurrently(
    event: dict[str, Any],
    context: Any,
    handle: Callable[[SQSRecord, JobBatch], Awaitable[None]],
    finish: Callable[[JobBatch], None] | None = None,
) -> PartialItemFailureResponse:
    """Records side by side (each waits on mail servers)."""
    batch = JobBatch()
    processor = AsyncBatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

    async def record_handler(record: SQSRecord) -> None:
        await handle(record, batch)

    response = async_process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    if finish is not None:
        finish(batch)
    return response
