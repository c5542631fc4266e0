"""The health queue's consumer: each message's inbox checked (bulk check rows and the inboxes
a sweep found due), a batch's checks side by side, partial failures reported."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
import asyncio
from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.adapters.deferral import or_put_back
from sender_accounts.adapters.observability import instrumented
from sender_accounts.adapters.queue_batches import JobBatch, consume_concurrently
from sender_accounts.adapters.record_deadline import within_record_deadline
from sender_accounts.composition import env, health_worker, require
from sender_accounts.health.models import HealthCheckMessage

require(health_worker)
QUEUE_URL = env("HEALTH_QUEUE_URL")


def handle_batch(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    worker = health_worker.get()

    async def check(record: SQSRecord, batch: JobBatch) -> None:
        message = HealthCheckMessage.model_validate_json(record.body)
        if message.job_id:
            batch.job_ids.add(message.job_id)
        # A check runs its own event loop and waits on DynamoDB for host slots: a thread each.
        # Over a bound on mail connections, the message goes back on the queue for later.
        work = within_record_deadline(context, asyncio.to_thread(worker.process, message))
        await or_put_back(work, QUEUE_URL, record.body)

    return consume_concurrently(
        event, context, check, lambda batch: worker.finish_batch(batch.job_ids)
    )


lambda_handler = instrumented(handle_batch)
