"""The bulk queue's consumer: a batch's rows validated concurrently, partial failures reported."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    AsyncBatchProcessor,
    EventType,
    async_process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.adapters.deferral import or_put_back
from sender_accounts.adapters.observability import instrumented
from sender_accounts.adapters.record_deadline import within_record_deadline
from sender_accounts.composition import bulk_validator, env, require
from sender_accounts.store.bulk_jobs import BulkItemMessage

require(bulk_validator)
QUEUE_URL = env("BULK_QUEUE_URL")
# A batch whose every record failed is reported like any other, record by record.
processor = AsyncBatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def handle_batch(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    validator = bulk_validator.get()
    outbox: list[tuple[str, dict[str, Any]]] = []
    job_ids: set[str] = set()

    async def validate_row(record: SQSRecord) -> None:
        message = BulkItemMessage.model_validate_json(record.body)
        job_ids.add(message.job_id)
        # Over a bound on mail connections, the message goes back on the queue for later.
        work = within_record_deadline(context, validator.process(message, outbox))
        await or_put_back(work, QUEUE_URL, record.body)

    response = async_process_partial_response(
        event=event, record_handler=validate_row, processor=processor, context=context
    )
    validator.finish_batch(job_ids, outbox)
    return response


lambda_handler = instrumented(handle_batch)
