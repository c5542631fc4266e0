"""Webhooks and their deliveries in DynamoDB (keys.py has the key design).

A webhook's signing secrets exist only as one KMS ciphertext. A delivery keeps the body it
sends (events carry no secret) and its attempts; it expires after DELIVERY_DAYS. Attempts are
recorded under a condition on their count, so a redelivered queue message that raced another
cannot record the same attempt twice or schedule a second retry.
"""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import ClientError
from pydantic import Field

from sender_accounts.common.ids import known_form
from sender_accounts.errors import NotFound
from sender_accounts.store.dynamo import Dynamo, deserialize, is_condition_failure, serialize
from sender_accounts.store.keys import (
    DELIVERY_PREFIX,
    WEBHOOK_PREFIX,
    delivery_key,
    delivery_log_key,
    webhook_key,
    workspace_key,
)
from sender_accounts.store.records import Record

WEBHOOK = "Webhook"
DELIVERY = "Delivery"
DELIVERY_DAYS = 30
MAX_WEBHOOKS_READ = 100  # a workspace's endpoints, read whole when an event fans out


class WebhookRecord(Record):
    webhook_id: str
    url: str
    events: list[str]
    description: str | None = None
    enabled: bool = True
    format: str = "standard"
    secrets_ciphertext: bytes  # {"current", "previous"?} sealed together
    previous_secret_until: str | None = None
    created_at: str
    updated_at: str
    failing_since: str | None = None
    disabled_reason: str | None = None


class DeliveryRecord(Record):
    delivery_id: str
    webhook_id: str
    event_type: str
    body: str
    created_at: str
    status: str = "pending"  # pending, succeeded, failed, skipped
    attempts: list[dict[str, Any]] = Field(default_factory=list)
    next_attempt_at: str | None = None


class WebhookStore:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table_name

    def create(self, workspace_id: str, webhook: WebhookRecord) -> None:
        self._db.call(
            "put_item",
            TableName=self._table,
            Item=serialize({**webhook_key(workspace_id, webhook.webhook_id), **webhook.item()}),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def get(self, workspace_id: str, webhook_id: str) -> WebhookRecord:
        known_form(webhook_id, WEBHOOK)
        response = self._db.call(
            "get_item",
            TableName=self._table,
            Key=serialize(webhook_key(workspace_id, webhook_id)),
            ConsistentRead=True,
        )
        if "Item" not in response:
            raise NotFound(WEBHOOK)
        return WebhookRecord.model_validate(deserialize(response["Item"]))

    def page(
        self, workspace_id: str, limit: int, after: str | None = None
    ) -> tuple[list[WebhookRecord], str | None]:
        """Up to `limit` webhooks in id order after `after`; the last id when more follow."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": serialize(
                {":pk": workspace_key(workspace_id), ":prefix": WEBHOOK_PREFIX}
            ),
            "Limit": limit,
        }
        if after:
            request["ExclusiveStartKey"] = serialize(webhook_key(workspace_id, after))
        response = self._db.call("query", **request)
        found = [WebhookRecord.model_validate(deserialize(i)) for i in response.get("Items", [])]
        more = "LastEvaluatedKey" in response and len(found) == limit
        return found, (found[-1].webhook_id if more and found else None)

    def all(self, workspace_id: str) -> list[WebhookRecord]:
        return self.page(workspace_id, MAX_WEBHOOKS_READ)[0]

    def update(self, workspace_id: str, webhook_id: str, changes: dict[str, Any]) -> WebhookRecord:
        """Set `changes` (None removes a field) on a webhook that exists."""
        sets = {k: v for k, v in changes.items() if v is not None}
        removes = [k for k, v in changes.items() if v is None]
        expression = "SET " + ", ".join(f"#{k} = :{k}" for k in sets)
        if removes:
            expression += " REMOVE " + ", ".join(f"#{k}" for k in removes)
        try:
            response = self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(webhook_key(workspace_id, webhook_id)),
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={f"#{k}": k for k in changes},
                ExpressionAttributeValues=serialize({f":{k}": v for k, v in sets.items()}),
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if is_condition_failure(exc):
                raise NotFound(WEBHOOK) from None
            raise
        return WebhookRecord.model_validate(deserialize(response["Attributes"]))

    def start_failing(self, workspace_id: str, webhook_id: str, now: str) -> str | None:
        """Since when the webhook has been failing (now, unless it already was); None when it
        is gone."""
        try:
            response = self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(webhook_key(workspace_id, webhook_id)),
                UpdateExpression="SET failing_since = if_not_exists(failing_since, :now)",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues=serialize({":now": now}),
                # ALL_NEW: an attribute the update leaves as it was may be missing from UPDATED_NEW
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if is_condition_failure(exc):
                return None
            raise
        return str(deserialize(response["Attributes"])["failing_since"])

    def end_failing(self, workspace_id: str, webhook_id: str) -> None:
        try:
            self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(webhook_key(workspace_id, webhook_id)),
                UpdateExpression="REMOVE failing_since",
                ConditionExpression="attribute_exists(failing_since)",
            )
        except ClientError as exc:
            if not is_condition_failure(exc):
                raise

    def delete(self, workspace_id: str, webhook_id: str) -> None:
        known_form(webhook_id, WEBHOOK)
        try:
            self._db.call(
                "delete_item",
                TableName=self._table,
                Key=serialize(webhook_key(workspace_id, webhook_id)),
                ConditionExpression="attribute_exists(pk)",
            )
        except ClientError as exc:
            if is_condition_failure(exc):
                raise NotFound(WEBHOOK) from None
            raise

    def add_delivery(self, workspace_id: str, delivery: DeliveryRecord) -> DeliveryRecord:
        """Stores a new delivery; the stored one when its id exists (a redelivered event)."""
        key = delivery_key(workspace_id, delivery.webhook_id, delivery.delivery_id)
        expires = int(time.time()) + DELIVERY_DAYS * 86400
        try:
            self._db.call(
                "put_item",
                TableName=self._table,
                Item=serialize({**key, **delivery.item(), "expires_at": expires}),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as exc:
            if not is_condition_failure(exc):
                raise
            return self.delivery(workspace_id, delivery.webhook_id, delivery.delivery_id)
        return delivery

    def delivery(self, workspace_id: str, webhook_id: str, delivery_id: str) -> DeliveryRecord:
        known_form(delivery_id, DELIVERY)
        response = self._db.call(
            "get_item",
            TableName=self._table,
            Key=serialize(delivery_key(workspace_id, webhook_id, delivery_id)),
            ConsistentRead=True,
        )
        if "Item" not in response:
            raise NotFound(DELIVERY)
        return DeliveryRecord.model_validate(deserialize(response["Item"]))

    def recent_deliveries(
        self, workspace_id: str, webhook_id: str, limit: int
    ) -> list[DeliveryRecord]:
        response = self._db.call(
            "query",
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=serialize(
                {":pk": delivery_log_key(workspace_id, webhook_id), ":prefix": DELIVERY_PREFIX}
            ),
            ScanIndexForward=False,
            Limit=limit,
        )
        return [DeliveryRecord.model_validate(deserialize(i)) for i in response.get("Items", [])]

    def record_attempt(
        self, workspace_id: str, delivery: DeliveryRecord, attempt: dict[str, Any],
        status: str, next_attempt_at: str | None,
    ) -> bool:  # fmt: skip
        """Appends `attempt` if no other attempt was recorded since `delivery` was read."""
        key = delivery_key(workspace_id, delivery.webhook_id, delivery.delivery_id)
        values = {":attempt": [attempt], ":status": status, ":next": next_attempt_at,
                  ":seen": len(delivery.attempts)}  # fmt: skip
        try:
            self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(key),
                UpdateExpression="SET attempts = list_append(attempts, :attempt), #s = :status,"
                " next_attempt_at = :next",
                ConditionExpression="size(attempts) = :seen",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=serialize(values),
            )
        except ClientError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True
