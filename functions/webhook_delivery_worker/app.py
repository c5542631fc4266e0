"""The webhook queues' consumer: an event from the bus becomes a delivery to each subscribed
endpoint of its workspace; a retry message attempts its delivery again. A batch's records run
side by side, so an endpoint that hangs holds up no other; a record that fails (KMS or DynamoDB
down) alone comes back."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
import asyncio
import json
from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.adapters.observability import instrumented
from sender_accounts.adapters.queue_batches import JobBatch, consume_concurrently
from sender_accounts.composition import require, webhook_dispatcher

require(webhook_dispatcher)


def handle_batch(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    dispatcher = webhook_dispatcher.get()

    async def deliver(record: SQSRecord, _batch: JobBatch) -> None:
        message = json.loads(record.body)
        if "detail-type" in message:  # EventBridge's envelope: an event from the bus
            await asyncio.to_thread(dispatcher.on_bus_event, message)
        else:
            await asyncio.to_thread(dispatcher.on_retry, message)

    return consume_concurrently(event, context, deliver)


lambda_handler = instrumented(handle_batch)
