"""Webhooks through the local runtime: from an event put on the bus to its receipt at a
loopback endpoint, median and p95 over BENCH_WEBHOOK_EVENTS (200) events; then the same with a
second endpoint of the same workspace that hangs (never answers within the 10 s), to show that
one endpoint hanging does not slow another's deliveries.

Events are put on the bus as the product puts them (EventPublisher), one every
BENCH_WEBHOOK_INTERVAL_MS (100) milliseconds; each carries its sequence number, and the receiver
matches arrivals to the moment each was published. `python -m tests.bench.webhooks` prints this
table alone."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.support.webhook_receiver import Receiver, start_receiver

EVENTS = int(os.environ.get("BENCH_WEBHOOK_EVENTS", "200"))
INTERVAL = int(os.environ.get("BENCH_WEBHOOK_INTERVAL_MS", "100")) / 1000
WAIT_SECONDS = 120


@dataclass(frozen=True)
class Latencies:
    median: float
    p95: float
    received: int


def _register(workspace_id: str, url: str) -> None:
    from sender_accounts.composition import webhooks
    from sender_accounts.webhooks.models import CreateWebhookRequest

    webhooks.get().create(workspace_id, CreateWebhookRequest(url=url, events=["*"]))


def _publish_and_time(workspace_id: str, receiver: Receiver, path: str) -> Latencies:
    from sender_accounts.common.events import DomainStatusChanged
    from sender_accounts.composition import events

    publisher = events.get()
    published: dict[str, float] = {}
    for n in range(EVENTS):
        name = f"bench-{n}.example.test"
        published[name] = time.monotonic()
        publisher.publish(
            DomainStatusChanged(
                workspace_id=workspace_id, domain_id=f"d{n}", domain=name, new_status="DELETED"
            )
        )
        time.sleep(max(0.0, published[name] + INTERVAL - time.monotonic()))
    deadline = time.monotonic() + WAIT_SECONDS
    while len(receiver.at(path)) < EVENTS and time.monotonic() < deadline:
        time.sleep(0.1)
    seconds = []
    for received in receiver.at(path):
        name = received.body.split('"domain":"', 1)[1].split('"', 1)[0]
        seconds.append(received.at - published[name])
    seconds.sort()
    return Latencies(
        statistics.median(seconds), seconds[int(len(seconds) * 0.95) - 1], len(seconds)
    )


def print_webhook_table(row: Callable[[str, str], None]) -> None:
    from sender_accounts.access.api_keys import issue_key
    from sender_accounts.composition import access_store

    receiver = start_receiver()
    try:
        alone, _ = issue_key(access_store.get(), "bench-webhooks-alone", prefix="cs_test_")
        _register(alone, receiver.script("/alone"))
        quiet = _publish_and_time(alone, receiver, "/alone")
        beside, _ = issue_key(access_store.get(), "bench-webhooks-beside", prefix="cs_test_")
        _register(beside, receiver.script("/hanging", *(["hang"] * 10)))
        _register(beside, receiver.script("/beside"))
        shared = _publish_and_time(beside, receiver, "/beside")
    finally:
        receiver.stop()
    row(f"webhook: bus to receipt, {quiet.received}/{EVENTS} events, median (ms)",
        f"{quiet.median * 1000:.0f}")  # fmt: skip
    row("webhook: bus to receipt, p95 (ms)", f"{quiet.p95 * 1000:.0f}")
    row(f"beside a hanging endpoint, {shared.received}/{EVENTS}, median (ms)",
        f"{shared.median * 1000:.0f}")  # fmt: skip
    row("beside a hanging endpoint, p95 (ms)", f"{shared.p95 * 1000:.0f}")
    row("median, p95 beside a hanging one / alone",
        f"{shared.median / quiet.median:.1f}x {shared.p95 / quiet.p95:.1f}x")  # fmt: skip
    row("p95 beside a hanging one / one hang (10 s)", f"{shared.p95 / 10:.3f}")


def main() -> int:
    from local_stack.runtime import start_local_runtime

    runtime = start_local_runtime()
    try:
        print(f"| {'figure':<52} | {'value':>16} |")
        print(f"|{'-' * 54}|{'-' * 18}|")
        print_webhook_table(lambda name, value: print(f"| {name:<52} | {value:>16} |"))
    finally:
        runtime.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
