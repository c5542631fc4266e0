"""The bulk dead-letter queues' consumer: rows that exhausted their retries fail, so every job
completes. Serves the dead letters of bulk creation and bulk deletion alike."""

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.adapters.observability import logger, metrics, tracer
from sender_accounts.bulk.queue import RowReference, give_up
from sender_accounts.composition import bulk_jobs, events

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def fail_row(record: SQSRecord) -> None:
    try:
        reference = RowReference.model_validate_json(record.body)
    except ValueError:
        # Names no row of any job: nothing to fail; dropping it keeps the queue moving.
        logger.error("unreadable dead letter dropped", extra={"message_id": record.message_id})
        return
    give_up(bulk_jobs(), events(), reference)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=fail_row, processor=processor, context=context
    )
