"""The bulk delete queue's consumer: each row's inbox deleted (or skipped) exactly once."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.adapters.observability import instrumented
from sender_accounts.bulk.delete import DeleteRowMessage
from sender_accounts.composition import bulk_delete, require

require(bulk_delete)
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def handle_batch(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    deleter = bulk_delete.get()
    outbox: list[tuple[str, dict[str, Any]]] = []
    job_ids: set[str] = set()

    def delete_row(record: SQSRecord) -> None:
        message = DeleteRowMessage.model_validate_json(record.body)
        job_ids.add(message.job_id)
        deleter.process(message, outbox)

    response = process_partial_response(
        event=event, record_handler=delete_row, processor=processor, context=context
    )
    deleter.finish_batch(job_ids, outbox)
    return response


lambda_handler = instrumented(handle_batch)
