"""A queue whose messages wait before they are delivered: SQS delays a message 15 minutes at
most, so a longer wait is reached by the consumer putting the message back (it carries when
it is due)."""

from __future__ import annotations

import json
import math
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.errors import DependencyUnavailable

MAX_DELAY_SECONDS = 900


class DelayedQueue:
    def __init__(self, sqs: Any, queue_url: str) -> None:
        self._sqs = sqs
        self._url = queue_url

    def schedule(self, message: dict[str, Any], delay_seconds: float) -> None:
        delay = max(0, min(MAX_DELAY_SECONDS, math.ceil(delay_seconds)))
        try:
            self._sqs.send_message(
                QueueUrl=self._url, MessageBody=json.dumps(message), DelaySeconds=delay
            )
        except (ClientError, BotoCoreError) as exc:
            raise DependencyUnavailable("SQS", type(exc).__name__) from None
