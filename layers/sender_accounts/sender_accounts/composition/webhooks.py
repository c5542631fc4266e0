"""Webhooks: the endpoints' use case, each attempt, and the consumer of the bus and retries."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from sender_accounts.adapters.aws_clients import client
from sender_accounts.components import Component, env
from sender_accounts.composition.core import dns_lookup, events, vault
from sender_accounts.config import InvalidSetting, get_settings

if TYPE_CHECKING:
    from sender_accounts.store.webhooks import WebhookStore
    from sender_accounts.webhooks.delivery import DeliveryAttempts
    from sender_accounts.webhooks.dispatch import WebhookDispatcher
    from sender_accounts.webhooks.service import WebhookService

DEFAULT_RETRY_SCHEDULE = "5,300,1800,7200,18000,36000,36000"


def retry_schedule() -> tuple[int, ...]:
    """WEBHOOK_RETRY_SCHEDULE: the waits in seconds before each retry."""
    text = os.environ.get("WEBHOOK_RETRY_SCHEDULE") or DEFAULT_RETRY_SCHEDULE
    try:
        waits = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise InvalidSetting(
            f"WEBHOOK_RETRY_SCHEDULE: {text!r} is not seconds, comma-separated"
        ) from None
    if any(wait < 0 for wait in waits):
        raise InvalidSetting("WEBHOOK_RETRY_SCHEDULE: waits cannot be negative")
    return waits


def _store() -> WebhookStore:
    from sender_accounts.store.webhooks import WebhookStore

    return WebhookStore(client("dynamodb"), env("TABLE_NAME"))


def _attempts(with_retries: bool) -> DeliveryAttempts:
    from sender_accounts.adapters.delayed_queue import DelayedQueue
    from sender_accounts.store.host_slots import HostSlots
    from sender_accounts.webhooks.delivery import SLOTS_PER_ENDPOINT, DeliveryAttempts

    retries, slots = None, None
    if with_retries:  # the worker: retries queued, requests in flight bounded per endpoint
        retries = DelayedQueue(client("sqs"), env("WEBHOOK_RETRY_QUEUE_URL"))
        table = env("REQUEST_CONTROL_TABLE_NAME")
        slots = HostSlots(client("dynamodb"), table, SLOTS_PER_ENDPOINT, kind="hookslot")
    return DeliveryAttempts(
        webhook_store.get(), vault.get(), dns_lookup.get(), get_settings().outbound_policy,
        events.get(), retries, retry_schedule(), slots,
    )  # fmt: skip


def _webhooks() -> WebhookService:
    from sender_accounts.webhooks.service import WebhookService

    return WebhookService(
        webhook_store.get(), vault.get(), dns_lookup.get(), get_settings().outbound_policy,
        _attempts(with_retries=False),
    )  # fmt: skip


def _dispatcher() -> WebhookDispatcher:
    from sender_accounts.adapters.delayed_queue import DelayedQueue
    from sender_accounts.webhooks.dispatch import WebhookDispatcher

    retries = DelayedQueue(client("sqs"), env("WEBHOOK_RETRY_QUEUE_URL"))
    return WebhookDispatcher(webhook_store.get(), _attempts(with_retries=True), retries)


webhook_store = Component(_store, ("TABLE_NAME",))
webhooks = Component(_webhooks, ("TABLE_NAME",), uses=(webhook_store, vault, dns_lookup, events))
webhook_dispatcher = Component(
    _dispatcher, ("TABLE_NAME", "WEBHOOK_RETRY_QUEUE_URL", "REQUEST_CONTROL_TABLE_NAME"),
    uses=(webhook_store, vault, dns_lookup, events),
)  # fmt: skip
