"""What the webhook endpoints take and answer. A secret appears only in the answers of
POST /webhooks and of rotate-secret: nowhere else, and never again."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from sender_accounts.common.model import Model
from sender_accounts.common.request_bodies import PatchBody, PostBody, WithWarnings
from sender_accounts.common.text_rules import SingleLine
from sender_accounts.webhooks.catalog import ALL_EVENTS, SUBSCRIBABLE

WebhookUrl = SingleLine  # length and the outbound rule are checked where it is set
WebhookFormat = Literal["standard", "smartlead"]


def _known_events(events: list[str] | None) -> list[str] | None:
    if events is None:
        return None
    unknown = sorted({e for e in events if e != ALL_EVENTS and e not in SUBSCRIBABLE})
    if unknown:
        known = ", ".join(sorted(SUBSCRIBABLE))
        raise ValueError(f"unknown event {', '.join(unknown)}; known: {known}, or *")
    return sorted(set(events))


class CreateWebhookRequest(PostBody):
    url: WebhookUrl = Field(min_length=8, max_length=2048)
    events: list[SingleLine] = Field(min_length=1, max_length=20)
    description: SingleLine | None = Field(default=None, max_length=500)
    enabled: bool = True
    format: WebhookFormat = "standard"

    _events = field_validator("events")(_known_events)


class UpdateWebhookRequest(PatchBody):
    url: WebhookUrl | None = Field(default=None, min_length=8, max_length=2048)
    events: list[SingleLine] | None = Field(default=None, min_length=1, max_length=20)
    description: SingleLine | None = Field(default=None, max_length=500)
    enabled: bool | None = None

    _events = field_validator("events")(_known_events)


class Webhook(Model):
    webhook_id: str
    url: str
    events: list[str]
    description: str | None = None
    enabled: bool
    format: WebhookFormat
    created_at: str
    updated_at: str
    # Why it was turned off by the product: GONE (it answered 410) or FAILING (3 days).
    disabled_reason: str | None = None
    failing_since: str | None = None


class WebhookCreated(Webhook, WithWarnings):
    success: bool = True
    secret: str = Field(description="whsec_…: shown in this answer only")


class WebhookList(Model):
    success: bool = True
    webhooks: list[Webhook]
    next_cursor: str | None = None


class SecretRotated(Model):
    success: bool = True
    webhook_id: str
    secret: str = Field(description="The new secret, shown once; the old one signs beside it")
    previous_secret_valid_until: str


class WebhookDeleted(Model):
    success: bool = True
    message: str
    webhook_id: str


class Attempt(Model):
    attempted_at: str
    status_code: int | None = None
    latency_ms: int
    error_class: str | None = None
    response_excerpt: str | None = Field(default=None, description="The answer's first KiB")


class Delivery(Model):
    delivery_id: str
    webhook_id: str
    message_id: str = Field(description="The webhook-id header of every attempt")
    event_type: str
    created_at: str
    status: Literal["pending", "succeeded", "failed", "skipped"]
    attempts: list[Attempt]
    next_attempt_at: str | None = None


class DeliveryList(Model):
    success: bool = True
    deliveries: list[Delivery]
