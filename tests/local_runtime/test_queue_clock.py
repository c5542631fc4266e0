"""The emulation's cheaper queue clock keeps SQS's answers: retention, visibility, counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import moto.sqs.models as sqs_models
import pytest
from moto import mock_aws
from moto.backends import get_backend

from local_stack.emulation_fixes import _cheap_queue_clock

SQS_ENDPOINT = "https://sqs.us-east-1.amazonaws.com"  # what mock_aws answers in process


@pytest.fixture
def sqs() -> Iterator[Any]:
    saved = (
        sqs_models.unix_time,
        sqs_models.unix_time_millis,
        sqs_models.SQSBackend.is_message_valid_based_on_retention_period,
    )
    _cheap_queue_clock()
    try:
        with mock_aws():
            yield boto3.client("sqs", region_name="us-east-1", endpoint_url=SQS_ENDPOINT)
    finally:
        sqs_models.unix_time, sqs_models.unix_time_millis, retention = saved
        sqs_models.SQSBackend.is_message_valid_based_on_retention_period = retention  # type: ignore[method-assign]


def _queue(url: str) -> Any:
    return get_backend("sqs")["123456789012"]["us-east-1"].get_queue(url.rsplit("/", 1)[-1])


def _receive(sqs: Any, url: str) -> list[str]:
    answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=30)
    return [m["Body"] for m in answer.get("Messages", [])]


def _counts(sqs: Any, url: str) -> tuple[int, int]:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    found = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return int(found[names[0]]), int(found[names[1]])


def test_a_message_past_its_retention_is_not_received(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="kept", Attributes={"MessageRetentionPeriod": "60"})[
        "QueueUrl"
    ]
    sqs.send_message(QueueUrl=url, MessageBody="old")
    (old,) = _queue(url)._messages
    old.sent_timestamp -= 61_000  # sent 61 s ago, past the queue's 60 s
    sqs.send_message(QueueUrl=url, MessageBody="new")

    # moto stops a receive at an expired message (it stays in the queue, received); the next
    # receive finds the fresh one. The expired one is never answered.
    assert _receive(sqs, url) + _receive(sqs, url) + _receive(sqs, url) == ["new"]


def test_a_received_message_is_hidden_until_its_visibility_ends(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="work")["QueueUrl"]
    for body in ("a", "b", "c"):
        sqs.send_message(QueueUrl=url, MessageBody=body)
    assert _counts(sqs, url) == (3, 0)

    assert sorted(_receive(sqs, url)) == ["a", "b", "c"]
    assert _counts(sqs, url) == (0, 3)
    assert _receive(sqs, url) == []

    first = _queue(url)._messages[0]
    first.visible_at -= 31_000  # its 30 s visibility timeout has passed
    assert _counts(sqs, url) == (1, 2)
    assert _receive(sqs, url) == [first.body]


def test_a_delayed_message_waits_for_its_delay(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="later")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="soon", DelaySeconds=60)
    assert _receive(sqs, url) == []

    (message,) = _queue(url)._messages
    message.delayed_until -= 61_000
    assert _receive(sqs, url) == ["soon"]
