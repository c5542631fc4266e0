"""One attempt of one delivery, and what follows it.

The URL is checked under the outbound rule again (its name may resolve elsewhere now), the
body signed with every secret in use, the answer recorded (status, latency, error class, the
first KiB), then: a 2xx ends the delivery; anything else schedules the next attempt on the
retry schedule, with jitter, until it runs out (the delivery fails). An endpoint answering 410,
or failing every delivery for 3 days, is turned off, with a `WebhookDisabled` event.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sender_accounts.adapters.dns_lookup import DnsLookup
from sender_accounts.adapters.observability import metrics
from sender_accounts.adapters.ports import EventBus, SecretVault
from sender_accounts.common.clock import utc_now
from sender_accounts.common.events import WebhookDisabled
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.store.host_slots import HostBusy, HostSlots
from sender_accounts.store.webhooks import DeliveryRecord, WebhookRecord, WebhookStore
from sender_accounts.webhooks.outbound import USER_AGENT, Answer, UrlRefused, pin_url, post
from sender_accounts.webhooks.signing import secrets_context, signature_header

FAILING_FOR_SECONDS = 3 * 86400
OPENED_KEPT = 256  # webhooks whose opened secrets a process keeps
SLOTS_PER_ENDPOINT = 4  # requests in flight to one webhook at once, across every worker
BUSY_WAIT_SECONDS = 5.0  # a delivery over its endpoint's slots waits this long on the queue
JITTER = 0.1  # up to a tenth of each delay added, so retries of one outage do not arrive as one


class RetryQueue(Protocol):
    def schedule(self, message: dict[str, Any], delay_seconds: float) -> None: ...


def retry_message(
    workspace_id: str, delivery: DeliveryRecord, due_at: str, attempt: int | None = None
) -> dict[str, Any]:
    """The queue message that attempts `delivery` again at `due_at`; `attempt` is how many
    attempts it will have been made after (stale when another was made meanwhile)."""
    return {
        "workspace_id": workspace_id, "webhook_id": delivery.webhook_id,
        "delivery_id": delivery.delivery_id, "due_at": due_at,
        "attempt": len(delivery.attempts) if attempt is None else attempt,
    }  # fmt: skip


def message_id(delivery_id: str) -> str:
    return f"msg_{delivery_id}"


def _later(seconds: float) -> str:
    moment = datetime.now(UTC) + timedelta(seconds=seconds)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


class DeliveryAttempts:
    def __init__(
        self, store: WebhookStore, vault: SecretVault, lookup: DnsLookup, policy: OutboundPolicy,
        events: EventBus, retries: RetryQueue | None, schedule: tuple[int, ...],
        slots: HostSlots | None = None,
    ) -> None:  # fmt: skip
        self._store = store
        self._vault = vault
        self._lookup = lookup
        self._policy = policy
        self._events = events
        self._retries = retries
        self._schedule = schedule
        self._slots = slots
        self._opened: dict[tuple[str, bytes], dict[str, Any]] = {}

    def attempt(
        self, workspace_id: str, webhook: WebhookRecord, delivery: DeliveryRecord,
        retry_on_failure: bool = True,
    ) -> DeliveryRecord:  # fmt: skip
        """Tries `delivery` once now; the delivery as recorded after it. With slots (the
        worker), an endpoint already holding SLOTS_PER_ENDPOINT requests gets this one later
        instead: a hanging endpoint holds at most that many workers, never all of them."""
        try:
            return self._attempt(workspace_id, webhook, delivery, retry_on_failure)
        except HostBusy:
            wait = BUSY_WAIT_SECONDS * (1 + random.uniform(0, 1))  # noqa: S311
            if self._retries is not None:
                self._retries.schedule(retry_message(workspace_id, delivery, _later(0)), wait)
            return delivery

    def _attempt(
        self, workspace_id: str, webhook: WebhookRecord, delivery: DeliveryRecord,
        retry_on_failure: bool,
    ) -> DeliveryRecord:  # fmt: skip
        started_at = utc_now()
        answer = self._send(workspace_id, webhook, delivery)
        attempted = len(delivery.attempts)
        delay = None
        retried = retry_on_failure and answer.status_code != 410
        if not answer.succeeded and retried and attempted < len(self._schedule):
            delay = self._schedule[attempted] * (1 + random.uniform(0, JITTER))  # noqa: S311
        status = "succeeded" if answer.succeeded else ("pending" if delay else "failed")
        next_at = _later(delay) if delay else None
        attempt = {
            "attempted_at": started_at,
            "status_code": answer.status_code,
            "latency_ms": answer.latency_ms,
            "error_class": answer.error_class,
            "response_excerpt": answer.excerpt,
        }
        if next_at and self._retries is not None:
            # Queued before the attempt is recorded: if queueing fails, the attempt is not
            # recorded and the message that asked for it comes back, so nothing is lost.
            next_try = retry_message(workspace_id, delivery, next_at, attempted + 1)
            self._retries.schedule(next_try, delay or 0)
        recorded = self._store.record_attempt(workspace_id, delivery, attempt, status, next_at)
        if recorded and status != "pending":  # the alarm on failed deliveries watches these
            outcome = "Succeeded" if answer.succeeded else "Failed"
            metrics.add_metric(name=f"WebhookDeliveries{outcome}", unit="Count", value=1)
        self._note_health(workspace_id, webhook, answer, bool(delivery.attempts))
        clean = {k: v for k, v in attempt.items() if v is not None}
        return delivery.model_copy(update={
            "attempts": [*delivery.attempts, clean], "status": status, "next_attempt_at": next_at,
        })  # fmt: skip

    def _send(self, workspace_id: str, webhook: WebhookRecord, delivery: DeliveryRecord) -> Answer:
        try:
            target = pin_url(webhook.url, self._policy, self._lookup)
        except UrlRefused:
            return Answer(None, 0, "ADDRESS_REFUSED")
        timestamp = int(time.time())
        ident = message_id(delivery.delivery_id)
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": ident,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature_header(
                self._secrets(workspace_id, webhook), ident, timestamp, delivery.body
            ),
        }
        if self._slots is None:
            return post(target, headers, delivery.body)
        # Only the request holds a slot: the endpoint's bound is on requests in flight.
        with self._slots.holding([f"webhook:{webhook.webhook_id}"], 0):
            return post(target, headers, delivery.body)

    def _secrets(self, workspace_id: str, webhook: WebhookRecord) -> list[str]:
        # Opened once per ciphertext in this process: a rotation is a new ciphertext, and the
        # plaintext lives only in memory, as the mailbox passwords of a running check do.
        key = (webhook.webhook_id, webhook.secrets_ciphertext)
        opened = self._opened.get(key)
        if opened is None:
            opened = self._vault.open_secrets(
                webhook.secrets_ciphertext, secrets_context(workspace_id, webhook.webhook_id)
            )
            if len(self._opened) >= OPENED_KEPT:
                self._opened.clear()
            self._opened[key] = opened
        secrets = [str(opened["current"])]
        until = webhook.previous_secret_until
        if opened.get("previous") and until and until > utc_now():
            secrets.append(str(opened["previous"]))
        return secrets

    def _note_health(
        self, workspace_id: str, webhook: WebhookRecord, answer: Answer, retried: bool
    ) -> None:
        """Success ends the webhook's failing spell (looked at when the copy read says it is
        failing or this delivery failed before: no write on the usual success); a failure
        starts one, or disables the webhook once it lasted FAILING_FOR_SECONDS."""
        if answer.succeeded:
            if webhook.failing_since or retried:
                self._store.end_failing(workspace_id, webhook.webhook_id)
            return
        if answer.status_code == 410:
            self._disable(workspace_id, webhook, "GONE")
            return
        since = self._store.start_failing(workspace_id, webhook.webhook_id, utc_now())
        if since is not None:
            elapsed = datetime.now(UTC) - datetime.fromisoformat(since)
            if elapsed.total_seconds() >= FAILING_FOR_SECONDS:
                self._disable(workspace_id, webhook, "FAILING")

    def _disable(self, workspace_id: str, webhook: WebhookRecord, reason: str) -> None:
        if not webhook.enabled:
            return
        changes = {"enabled": False, "disabled_reason": reason, "updated_at": utc_now()}
        self._store.update(workspace_id, webhook.webhook_id, changes)
        self._events.publish(
            WebhookDisabled(
                workspace_id=workspace_id,
                webhook_id=webhook.webhook_id,
                reason="GONE" if reason == "GONE" else "FAILING",
            )
        )
