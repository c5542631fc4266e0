"""Putting messages on a queue ten at a time (SendMessageBatch), what failed asked again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.adapters.observability import logger

SQS_BATCH = 10


def send_all(sqs: Any, queue_url: str, bodies: Sequence[str]) -> int:
    """How many of `bodies` went on the queue; the caller's claims bring the rest back."""
    sent = 0
    for start in range(0, len(bodies), SQS_BATCH):
        entries = [
            {"Id": str(n), "MessageBody": body}
            for n, body in enumerate(bodies[start : start + SQS_BATCH])
        ]
        try:
            for _attempt in range(3):
                response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
                failed = {f["Id"] for f in response.get("Failed", [])}
                entries = [e for e in entries if e["Id"] in failed]
                if not entries:
                    break
        except (ClientError, BotoCoreError) as exc:
            logger.warning("messages not queued", extra={"error": type(exc).__name__})
        sent += min(SQS_BATCH, len(bodies) - start) - len(entries)
    return sent
