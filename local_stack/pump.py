"""Delivers each SQS event source of the template to its function, as Lambda's poller does:
the template's batch size, up to its MaximumConcurrency batches at once, successes deleted,
`batchItemFailures` left on the queue to come back, the queue's redrive policy left to SQS.

A batch stays invisible while its function runs (its timeout, as the queue's longer visibility
does when deployed); locally a failed message becomes visible again after
LOCAL_QUEUE_VISIBILITY_SECONDS (default 5) instead of the queue's own timeout, so retries and
dead-lettering take seconds, not minutes.
"""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .functions import invoke
from .identities import acting_as
from .provision import REGION, ProvisionedStack, _client
from .template import QueueSource

DEFAULT_LOCAL_VISIBILITY_SECONDS = 5


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The event Lambda's SQS poller sends."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": m.get("MessageAttributes", {}),
                "md5OfBody": m.get("MD5OfBody") or hashlib.md5(m["Body"].encode()).hexdigest(),  # noqa: S324
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


class _SourcePoller:
    def __init__(self, stack: ProvisionedStack, source: QueueSource, visibility: int) -> None:
        self.stack = stack
        self.source = source
        self.visibility = visibility
        timeout = stack.template.function_properties(source.function).get("Timeout", 3)
        self.processing_visibility = int(timeout) + 5
        self.queue_url = stack.resolver.refs[source.queue]
        self.queue_arn = stack.resolver.attributes[(source.queue, "Arn")]
        self.sqs = _client("sqs", stack.endpoint_url)
        self.slots = threading.Semaphore(source.maximum_concurrency)
        self.workers = ThreadPoolExecutor(max_workers=source.maximum_concurrency)

    def poll_once(self, wait_seconds: int) -> None:
        self.slots.acquire()
        try:
            # Lambda polls and deletes with the consumer's own role (its queue permissions).
            with acting_as(self.source.function):
                messages = self.sqs.receive_message(
                    QueueUrl=self.queue_url,
                    MaxNumberOfMessages=self.source.batch_size,
                    WaitTimeSeconds=wait_seconds,
                    VisibilityTimeout=self.processing_visibility,
                    AttributeNames=["All"],
                    MessageAttributeNames=["All"],
                ).get("Messages", [])
        except Exception:
            self.slots.release()
            raise
        if not messages:
            self.slots.release()
            return
        self.workers.submit(self._deliver, messages)

    def _deliver(self, messages: list[dict[str, Any]]) -> None:
        try:
            try:
                result = invoke(
                    self.stack.template, self.source.function, sqs_event(messages, self.queue_arn)
                )
                failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
            except Exception:  # the whole batch failed, as an unhandled Lambda error does
                failed = {m["MessageId"] for m in messages}
            done = [m for m in messages if m["MessageId"] not in failed]
            retried = [m for m in messages if m["MessageId"] in failed]
            if done:
                with acting_as(self.source.function):
                    self.sqs.delete_message_batch(
                        QueueUrl=self.queue_url,
                        Entries=[
                            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                            for i, m in enumerate(done)
                        ],
                    )
            if retried:
                # Back soon rather than after the processing visibility. Lambda's service does
                # this, not the function's role (which holds no ChangeMessageVisibility).
                self.sqs.change_message_visibility_batch(
                    QueueUrl=self.queue_url,
                    Entries=[
                        {
                            "Id": str(i),
                            "ReceiptHandle": m["ReceiptHandle"],
                            "VisibilityTimeout": self.visibility,
                        }
                        for i, m in enumerate(retried)
                    ],
                )
        finally:
            self.slots.release()


class QueuePump:
    def __init__(self, stack: ProvisionedStack) -> None:
        visibility = int(
            os.environ.get("LOCAL_QUEUE_VISIBILITY_SECONDS", DEFAULT_LOCAL_VISIBILITY_SECONDS)
        )
        self._pollers = [
            _SourcePoller(stack, source, visibility) for source in stack.template.queue_sources()
        ]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for poller in self._pollers:
            thread = threading.Thread(target=self._run, args=(poller,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _run(self, poller: _SourcePoller) -> None:
        while not self._stop.is_set():
            try:
                poller.poll_once(wait_seconds=1)
            except Exception:
                if self._stop.wait(0.5):
                    return

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        for poller in self._pollers:
            poller.workers.shutdown(wait=True)
