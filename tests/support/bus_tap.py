"""What the product published on its event bus, read the way a subscriber would: a rule on the
stack's bus feeding a fresh queue."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class BusTap:
    sqs: Any
    url: str
    seen: list[dict[str, Any]] = field(default_factory=list)

    def drain(self) -> list[dict[str, Any]]:
        """Every event delivered so far (kept in `seen` too)."""
        while True:
            batch = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10).get(
                "Messages", []
            )
            if not batch:
                return self.seen
            for message in batch:
                self.seen.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])

    def of_type(self, detail_type: str, inbox_id: str | None = None) -> list[dict[str, Any]]:
        self.drain()
        return [
            e for e in self.seen
            if e["detail-type"] == detail_type
            and (inbox_id is None or e["detail"].get("inbox_id") == inbox_id)
        ]  # fmt: skip

    def settled(self, seconds: float = 1.0) -> list[dict[str, Any]]:
        """Everything delivered once nothing new arrived for `seconds`."""
        count = -1
        while count != len(self.drain()):
            count = len(self.seen)
            time.sleep(seconds)
        return self.seen


def bus_tap(name: str) -> BusTap:
    from sender_accounts.adapters.aws_clients import client as aws

    sqs, events = aws("sqs"), aws("events")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    bus = os.environ["EVENT_BUS_NAME"]
    events.put_rule(
        Name=name, EventBusName=bus, EventPattern=json.dumps({"source": ["sender-accounts"]})
    )
    events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "t", "Arn": arn["QueueArn"]}])
    return BusTap(sqs, url)
