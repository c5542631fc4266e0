"""Shows the stack's EventBridge events as they are published: a rule on the bus feeds a
local queue, and a thread prints what arrives."""

from __future__ import annotations

import json
import threading

from .provision import ProvisionedStack, _client

TAP_QUEUE = "local-event-tap"


class EventTap:
    def __init__(self, stack: ProvisionedStack) -> None:
        self._sqs = _client("sqs", stack.endpoint_url)
        events = _client("events", stack.endpoint_url)
        bus = stack.function_environment(next(iter(stack.template.functions())))["EVENT_BUS_NAME"]
        self._queue_url = self._sqs.create_queue(QueueName=TAP_QUEUE)["QueueUrl"]
        arn = self._sqs.get_queue_attributes(QueueUrl=self._queue_url, AttributeNames=["QueueArn"])
        events.put_rule(
            Name="local-event-tap",
            EventBusName=bus,
            EventPattern=json.dumps({"source": ["sender-accounts"]}),
        )
        events.put_targets(
            Rule="local-event-tap",
            EventBusName=bus,
            Targets=[{"Id": "tap", "Arn": arn["Attributes"]["QueueArn"]}],
        )
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                batch = self._sqs.receive_message(
                    QueueUrl=self._queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1
                ).get("Messages", [])
            except Exception:  # the emulation is shutting down
                return
            for message in batch:
                event = json.loads(message["Body"])
                print(
                    f"Event: {event.get('detail-type')} {json.dumps(event.get('detail'))}",
                    flush=True,
                )
                self._sqs.delete_message(
                    QueueUrl=self._queue_url, ReceiptHandle=message["ReceiptHandle"]
                )
