"""From the bus to the endpoints: an event becomes one delivery per subscribed, enabled webhook
of its workspace, all attempted at once (one endpoint that hangs costs its own delivery 10 s,
never another's); a retry message attempts its delivery again when it is due. An endpoint that
is failing gets its new deliveries through the retry queue, whose consumers are its own, so a
hanging endpoint never takes the slots healthy endpoints are served from.

A delivery's id is derived from the bus event's id and the webhook, so an event the queue
delivers twice finds its deliveries already made and sends nothing twice that succeeded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from sender_accounts.common.clock import utc_now
from sender_accounts.common.ids import time_ordered_id
from sender_accounts.errors import NotFound
from sender_accounts.store.webhooks import DeliveryRecord, WebhookRecord, WebhookStore
from sender_accounts.webhooks.catalog import EVENT_NAMES, body_for, subscribed
from sender_accounts.webhooks.delivery import DeliveryAttempts, RetryQueue, retry_message

MAX_PARALLEL = 16


def _milliseconds(moment: str) -> int:
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        parsed = datetime.now(UTC)
    return int(parsed.timestamp() * 1000)


def new_delivery(
    webhook: WebhookRecord, name: str, data: dict[str, Any], occurred_at: str, seed: str
) -> DeliveryRecord:
    entropy = hashlib.sha256(f"{seed}:{webhook.webhook_id}".encode()).digest()
    return DeliveryRecord(
        delivery_id=time_ordered_id(_milliseconds(occurred_at), entropy),
        webhook_id=webhook.webhook_id,
        event_type=name,
        body=body_for(webhook.format, name, occurred_at, data),
        created_at=utc_now(),
    )


class WebhookDispatcher:
    def __init__(
        self, store: WebhookStore, attempts: DeliveryAttempts, retries: RetryQueue
    ) -> None:
        self._store = store
        self._attempts = attempts
        self._retries = retries

    def on_bus_event(self, event: dict[str, Any]) -> int:
        """Delivers one EventBridge event; how many deliveries it made."""
        name = EVENT_NAMES.get(str(event.get("detail-type")))
        detail = dict(event.get("detail") or {})
        workspace_id = detail.get("workspace_id")
        if name is None or not isinstance(workspace_id, str):
            return 0
        occurred_at = str(detail.pop("occurred_at", None) or event.get("time") or utc_now())
        targets = [
            webhook for webhook in self._store.all(workspace_id)
            if webhook.enabled and subscribed(webhook.events, name)
        ]  # fmt: skip
        jobs: list[Callable[[], object]] = []
        for webhook in targets:
            delivery = self._store.add_delivery(
                workspace_id,
                new_delivery(webhook, name, detail, occurred_at, str(event.get("id"))),
            )
            if delivery.status != "pending" or delivery.attempts:
                continue  # made before: a redelivered event
            if webhook.failing_since:
                # A failing endpoint waits on the retry queue's own consumers, so its timeouts
                # never hold up the deliveries of healthy endpoints here.
                self._retries.schedule(retry_message(workspace_id, delivery, utc_now()), 0)
            else:
                jobs.append(self._job(workspace_id, webhook, delivery))
        _run_all(jobs)
        return len(jobs)

    def on_retry(self, message: dict[str, Any]) -> None:
        """Attempts a delivery again when it is due; re-queues it when it is not yet (a queue
        delays a message 15 minutes at most)."""
        due = datetime.fromisoformat(str(message["due_at"]))
        wait = (due - datetime.now(UTC)).total_seconds()
        if wait > 1:
            self._retries.schedule(message, wait)
            return
        workspace_id = str(message["workspace_id"])
        try:
            webhook = self._store.get(workspace_id, str(message["webhook_id"]))
            delivery = self._store.delivery(
                workspace_id, webhook.webhook_id, str(message["delivery_id"])
            )
        except NotFound:
            return  # the webhook was deleted: nothing more is sent
        if delivery.status != "pending" or len(delivery.attempts) != int(message["attempt"]):
            return  # decided, or this attempt was already made
        if not webhook.enabled:
            skipped = {"attempted_at": utc_now(), "latency_ms": 0, "error_class": "DISABLED"}
            self._store.record_attempt(workspace_id, delivery, skipped, "skipped", None)
            return
        self._attempts.attempt(workspace_id, webhook, delivery)

    def _job(
        self, workspace_id: str, webhook: WebhookRecord, delivery: DeliveryRecord
    ) -> Callable[[], object]:
        return lambda: self._attempts.attempt(workspace_id, webhook, delivery)


def _run_all(jobs: list[Callable[[], object]]) -> None:
    """Every job at once; the first failure raised once all have ended."""
    if len(jobs) <= 1:
        for job in jobs:
            job()
        return
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(jobs))) as pool:
        futures = [pool.submit(job) for job in jobs]
    for future in futures:
        future.result()
