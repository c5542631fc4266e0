"""The warm-up send queue's consumer: each message one planned warm-up email or reply, sent
through the sender's own SMTP server once; a batch's sends side by side, partial failures
reported (a failure that passes is retried by the queue)."""

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
from sender_accounts.composition import env, require, warmup_sender
from sender_accounts.warmup.models import SendMessage

require(warmup_sender)
QUEUE_URL = env("WARMUP_SEND_QUEUE_URL")


def handle_batch(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    sender = warmup_sender.get()

    async def send(record: SQSRecord, batch: JobBatch) -> None:
        message = SendMessage.model_validate_json(record.body)
        work = within_record_deadline(context, asyncio.to_thread(sender.process, message.send_id))
        await or_put_back(work, QUEUE_URL, record.body)

    return consume_concurrently(event, context, send)


lambda_handler = instrumented(handle_batch)
