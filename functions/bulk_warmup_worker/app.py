"""The bulk warm-up queue's consumer: each row's inbox gets warm-up on or off, decided once."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.adapters.observability import instrumented
from sender_accounts.adapters.queue_batches import JobBatch, consume
from sender_accounts.composition import bulk_warmups, require
from sender_accounts.warmup.models import WarmupRowMessage

require(bulk_warmups)


def handle_batch(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    service = bulk_warmups.get()

    def change_row(record: SQSRecord, batch: JobBatch) -> None:
        message = WarmupRowMessage.model_validate_json(record.body)
        batch.job_ids.add(message.job_id)
        service.process(message, batch.outbox)

    def finish(batch: JobBatch) -> None:
        service.finish_batch(batch.job_ids, batch.outbox)

    return consume(event, context, change_row, finish)


lambda_handler = instrumented(handle_batch)
