"""The bulk dead-letter queues' consumer: rows that exhausted their retries fail, so every job
completes. Serves the dead letters of bulk creation, bulk deletion and health checks alike."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.adapters.observability import instrumented, logger
from sender_accounts.adapters.queue_batches import JobBatch, consume
from sender_accounts.bulk.completion import RowReference
from sender_accounts.composition import dead_letters, require

require(dead_letters)


def fail_row(record: SQSRecord, _batch: JobBatch) -> None:
    try:
        reference = RowReference.model_validate_json(record.body)
    except ValueError:
        # Names no row of any job (a scheduled check's inbox comes due again by itself):
        # nothing to fail; dropping it keeps the queue moving.
        logger.warning(
            "dead letter without a job row dropped", extra={"message_id": record.message_id}
        )
        return
    dead_letters.get().give_up(reference)


def handle_batch(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return consume(event, context, fail_row)


lambda_handler = instrumented(handle_batch)
