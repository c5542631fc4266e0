"""The local runtime's queue pump behaves as Lambda's SQS poller: a batch with one failing
record gets only that record back, and it reaches the dead-letter queue after its retries."""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Any

import pytest

import local_stack.pump as pump_module
from local_stack.runtime import LocalRuntime


def test_batch_with_one_failing_record_redelivers_only_that_record(
    runtime: LocalRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sender_accounts.adapters.aws_clients import client

    # Given every delivery to the bulk-delete worker recorded
    deliveries: list[str] = []
    lock = threading.Lock()
    real_invoke = pump_module.invoke

    def recording_invoke(template: Any, logical_id: str, event: dict[str, Any]) -> Any:
        if logical_id == "BulkDeleteWorkerFunction":
            with lock:
                deliveries.extend(
                    json.loads(r["body"]).get("marker", "")
                    for r in event["Records"]
                    if r["body"].startswith("{")
                )
                deliveries.extend(
                    "poison" for r in event["Records"] if not r["body"].startswith("{")
                )
        return real_invoke(template, logical_id, event)

    monkeypatch.setattr(pump_module, "invoke", recording_invoke)
    sqs = client("sqs")
    url = os.environ["BULK_DELETE_QUEUE_URL"]
    good = {
        "job_id": "no-such-job",
        "workspace_id": "ws",
        "row": 0,
        "inbox_id": "x",
        "marker": "good",
    }
    # When one good and one unreadable message arrive in one batch
    sqs.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "good", "MessageBody": json.dumps(good)},
            {"Id": "poison", "MessageBody": "this is not a row"},
        ],
    )
    # Then the poison comes back until its receives run out, and the good one never does
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and deliveries.count("poison") < 5:
        time.sleep(0.2)
    time.sleep(2)  # another visibility period: a wrongly kept good message would reappear
    assert deliveries.count("good") == 1
    assert deliveries.count("poison") == 5  # maxReceiveCount of the template's redrive policy
