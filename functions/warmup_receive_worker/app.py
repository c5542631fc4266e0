"""The warm-up receive queue's consumer: each message a recipient's check slot; its expected
warm-up mail found, rescued from spam and marked in one IMAP session, placements recorded and a
share answered; a batch's mailboxes side by side, partial failures reported."""

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
from sender_accounts.composition import env, require, warmup_receiver
from sender_accounts.warmup.models import ReceiveMessage

require(warmup_receiver)
QUEUE_URL = env("WARMUP_RECEIVE_QUEUE_URL")


def handle_batch(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    receiver = warmup_receiver.get()

    async def look(record: SQSRecord, batch: JobBatch) -> None:
        m = ReceiveMessage.model_validate_json(record.body)
        checked = asyncio.to_thread(receiver.process, m.workspace_id, m.inbox_id, m.slot)
        await or_put_back(within_record_deadline(context, checked), QUEUE_URL, record.body)

    return consume_concurrently(event, context, look)


lambda_handler = instrumented(handle_batch)
