"""The bulk queue's consumer: a batch's rows validated concurrently, partial failures reported."""

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    AsyncBatchProcessor,
    EventType,
    async_process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.bulk_validator import BulkItemMessage
from sender_accounts.observability import logger, metrics, tracer
from sender_accounts.wiring import bulk_validator

processor = AsyncBatchProcessor(event_type=EventType.SQS)


async def validate_row(record: SQSRecord) -> None:
    await bulk_validator().process(BulkItemMessage.model_validate_json(record.body))


def _job_ids(event: dict[str, Any]) -> set[str]:
    job_ids = set()
    for record in event.get("Records", []):
        try:
            job_ids.add(BulkItemMessage.model_validate_json(record["body"]).job_id)
        except ValueError:
            continue  # an unreadable message fails alone, in its record handler
    return job_ids


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    job_ids = _job_ids(event)
    bulk_validator().start(job_ids)
    response = async_process_partial_response(
        event=event, record_handler=validate_row, processor=processor, context=context
    )
    bulk_validator().finish(job_ids)
    return response
