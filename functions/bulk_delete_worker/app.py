"""The bulk delete queue's consumer: each row's inbox deleted (or skipped) exactly once."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.adapters.observability import instrumented
from sender_accounts.adapters.queue_batches import JobBatch, consume
from sender_accounts.bulk.delete import DeleteRowMessage
from sender_accounts.composition import bulk_delete, require

require(bulk_delete)


def handle_batch(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    deleter = bulk_delete.get()

    def delete_row(record: SQSRecord, batch: JobBatch) -> None:
        message = DeleteRowMessage.model_validate_json(record.body)
        batch.job_ids.add(message.job_id)
        deleter.process(message, batch.outbox)

    def finish(batch: JobBatch) -> None:
        deleter.finish_batch(batch.job_ids, batch.outbox)

    return consume(event, context, delete_row, finish)


lambda_handler = instrumented(handle_batch)
