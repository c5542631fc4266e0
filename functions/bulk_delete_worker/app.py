"""The bulk delete queue's consumer: each row's inbox deleted (or skipped) exactly once."""

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
from sender_accounts.bulk.delete import DeleteRowMessage
from sender_accounts.bulk.queue import finish_jobs
from sender_accounts.composition import bulk_delete, bulk_jobs, events

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    outbox: list[tuple[str, dict[str, Any]]] = []
    job_ids: set[str] = set()

    def delete_row(record: SQSRecord) -> None:
        message = DeleteRowMessage.model_validate_json(record.body)
        job_ids.add(message.job_id)
        bulk_delete().process(message, outbox)

    response = process_partial_response(
        event=event, record_handler=delete_row, processor=processor, context=context
    )
    finish_jobs(bulk_jobs(), events(), job_ids, outbox)
    return response
