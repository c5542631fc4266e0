"""The bulk queue's consumer: a batch's rows validated concurrently, partial failures reported."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.adapters.deferral import or_put_back
from sender_accounts.adapters.observability import instrumented
from sender_accounts.adapters.queue_batches import JobBatch, consume_concurrently
from sender_accounts.adapters.record_deadline import within_record_deadline
from sender_accounts.composition import bulk_validator, env, require
from sender_accounts.store.bulk_jobs import BulkItemMessage

require(bulk_validator)
QUEUE_URL = env("BULK_QUEUE_URL")


def handle_batch(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    validator = bulk_validator.get()

    async def validate_row(record: SQSRecord, batch: JobBatch) -> None:
        message = BulkItemMessage.model_validate_json(record.body)
        batch.job_ids.add(message.job_id)
        # Over a bound on mail connections, the message goes back on the queue for later.
        work = within_record_deadline(context, validator.process(message, batch.outbox))
        await or_put_back(work, QUEUE_URL, record.body)

    def finish(batch: JobBatch) -> None:
        validator.finish_batch(batch.job_ids, batch.outbox)

    return consume_concurrently(event, context, validate_row, finish)


lambda_handler = instrumented(handle_batch)
