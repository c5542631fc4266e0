"""A workspace's webhooks: register, read, change, rotate the secret, delete; send a test event
or a failed delivery again, now; read recent deliveries."""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sender_accounts.adapters.dns_lookup import DnsLookup
from sender_accounts.adapters.ports import SecretVault
from sender_accounts.common.clock import utc_now
from sender_accounts.errors import FieldRuleViolated, InvalidCursor, ServiceError
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.store.webhooks import DeliveryRecord, WebhookRecord, WebhookStore
from sender_accounts.webhooks.catalog import TEST_EVENT
from sender_accounts.webhooks.delivery import DeliveryAttempts, message_id
from sender_accounts.webhooks.dispatch import new_delivery
from sender_accounts.webhooks.models import (
    CreateWebhookRequest,
    Delivery,
    DeliveryList,
    SecretRotated,
    UpdateWebhookRequest,
    Webhook,
    WebhookCreated,
    WebhookDeleted,
    WebhookList,
)
from sender_accounts.webhooks.outbound import UrlRefused, pin_url
from sender_accounts.webhooks.signing import new_secret, secrets_context

ROTATION_OVERLAP = timedelta(hours=24)
RECENT_DELIVERIES = 50


def public_webhook(record: WebhookRecord) -> Webhook:
    return Webhook.model_validate(record.model_dump(exclude={"secrets_ciphertext"}))


def public_delivery(record: DeliveryRecord) -> Delivery:
    shown = record.model_dump(exclude={"body"})
    return Delivery.model_validate({**shown, "message_id": message_id(record.delivery_id)})


class WebhookDisabled(ServiceError):
    """A test or a retry asked of a webhook that is turned off."""

    status, error_code = 409, "WEBHOOK_DISABLED"

    def __init__(self) -> None:
        super().__init__("The webhook is disabled: PATCH it with enabled true first")


def _enabled(webhook: WebhookRecord) -> WebhookRecord:
    if not webhook.enabled:
        raise WebhookDisabled
    return webhook


class WebhookService:
    def __init__(
        self, store: WebhookStore, vault: SecretVault, lookup: DnsLookup,
        policy: OutboundPolicy, attempts: DeliveryAttempts,
    ) -> None:  # fmt: skip
        self._store = store
        self._vault = vault
        self._lookup = lookup
        self._policy = policy
        self._attempts = attempts

    def _check_url(self, url: str) -> None:
        try:
            pin_url(url, self._policy, self._lookup)
        except UrlRefused as refused:
            raise FieldRuleViolated("url", f"url {refused.reason}") from None

    def create(self, workspace_id: str, request: CreateWebhookRequest) -> WebhookCreated:
        self._check_url(request.url)
        webhook_id, secret, now = str(uuid.uuid4()), new_secret(), utc_now()
        sealed = self._vault.seal_secrets(
            {"current": secret}, secrets_context(workspace_id, webhook_id)
        )
        record = WebhookRecord(
            webhook_id=webhook_id, url=request.url, events=request.events,
            description=request.description, enabled=request.enabled, format=request.format,
            secrets_ciphertext=sealed, created_at=now, updated_at=now,
        )  # fmt: skip
        self._store.create(workspace_id, record)
        shown = public_webhook(record).model_dump()
        return WebhookCreated(**shown, secret=secret)

    def list(self, workspace_id: str, limit: int, cursor: str | None) -> WebhookList:
        if cursor is not None:
            try:
                uuid.UUID(cursor)
            except ValueError:
                raise InvalidCursor from None
        found, after = self._store.page(workspace_id, limit, cursor)
        return WebhookList(webhooks=[public_webhook(w) for w in found], next_cursor=after)

    def get(self, workspace_id: str, webhook_id: str) -> Webhook:
        return public_webhook(self._store.get(workspace_id, webhook_id))

    def update(self, workspace_id: str, webhook_id: str, request: UpdateWebhookRequest) -> Webhook:
        self._store.get(workspace_id, webhook_id)  # 404 before anything is resolved
        changes: dict[str, Any] = request.model_dump(exclude_unset=True)
        if changes.get("url") is not None:
            self._check_url(changes["url"])
        for name in ("url", "events", "enabled"):
            if name in changes and changes[name] is None:
                raise FieldRuleViolated(name, f"{name} cannot be null")
        if changes.get("enabled"):  # turned on again by hand: its failures start over
            changes.update(failing_since=None, disabled_reason=None)
        if not changes:
            return self.get(workspace_id, webhook_id)
        changes["updated_at"] = utc_now()
        return public_webhook(self._store.update(workspace_id, webhook_id, changes))

    def delete(self, workspace_id: str, webhook_id: str) -> WebhookDeleted:
        self._store.delete(workspace_id, webhook_id)
        return WebhookDeleted(message="Webhook deleted", webhook_id=webhook_id)

    def rotate_secret(self, workspace_id: str, webhook_id: str) -> SecretRotated:
        record = self._store.get(workspace_id, webhook_id)
        context = secrets_context(workspace_id, webhook_id)
        current = self._vault.open_secrets(record.secrets_ciphertext, context)["current"]
        secret = new_secret()
        until = datetime.now(UTC) + ROTATION_OVERLAP
        until_text = until.isoformat(timespec="seconds").replace("+00:00", "Z")
        sealed = self._vault.seal_secrets({"current": secret, "previous": current}, context)
        self._store.update(workspace_id, webhook_id, {
            "secrets_ciphertext": sealed, "previous_secret_until": until_text,
            "updated_at": utc_now(),
        })  # fmt: skip
        return SecretRotated(
            webhook_id=webhook_id, secret=secret, previous_secret_valid_until=until_text
        )

    def send_test(self, workspace_id: str, webhook_id: str) -> Delivery:
        webhook = _enabled(self._store.get(workspace_id, webhook_id))
        data = {"workspace_id": workspace_id, "webhook_id": webhook_id,
                "message": "A test event, sent on request"}  # fmt: skip
        seed = f"test:{time.time_ns()}:{os.urandom(8).hex()}"
        delivery = new_delivery(webhook, TEST_EVENT, data, utc_now(), seed)
        self._store.add_delivery(workspace_id, delivery)
        done = self._attempts.attempt(workspace_id, webhook, delivery, retry_on_failure=False)
        return public_delivery(done)

    def deliveries(self, workspace_id: str, webhook_id: str) -> DeliveryList:
        self._store.get(workspace_id, webhook_id)
        recent = self._store.recent_deliveries(workspace_id, webhook_id, RECENT_DELIVERIES)
        return DeliveryList(deliveries=[public_delivery(d) for d in recent])

    def retry(self, workspace_id: str, webhook_id: str, delivery_id: str) -> Delivery:
        """Once more, now, with the same webhook-id; no further retries follow from it."""
        webhook = _enabled(self._store.get(workspace_id, webhook_id))
        delivery = self._store.delivery(workspace_id, webhook_id, delivery_id)
        done = self._attempts.attempt(workspace_id, webhook, delivery, retry_on_failure=False)
        return public_delivery(done)
