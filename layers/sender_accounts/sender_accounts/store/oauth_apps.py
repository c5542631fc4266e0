"""OAuth apps and consents in progress in DynamoDB (keys.py has the key design).

An app counts the inboxes that use it (`inbox_count`, moved in the inbox's own create and
delete transactions), so it cannot be deleted from under them. A consent's item is keyed by
its state's hash and claimed once with a condition: a replayed or late state changes nothing.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.common.ids import known_form
from sender_accounts.errors import NotFound, OAuthAppInUse
from sender_accounts.store.dynamo import Dynamo, deserialize, is_condition_failure, serialize
from sender_accounts.store.keys import (
    OAUTH_APP_PREFIX,
    consent_state_key,
    oauth_app_key,
    workspace_key,
)
from sender_accounts.store.records import ConsentRecord, OAuthAppRecord

APP_NOT_FOUND = "OAuth app"


class OAuthAppStore:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table_name

    def create(self, workspace_id: str, app: OAuthAppRecord) -> None:
        self._db.call(
            "put_item",
            TableName=self._table,
            Item=serialize({**oauth_app_key(workspace_id, app.oauth_app_id), **app.item()}),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def get(self, workspace_id: str, oauth_app_id: str) -> OAuthAppRecord:
        known_form(oauth_app_id, APP_NOT_FOUND)
        response = self._db.call(
            "get_item",
            TableName=self._table,
            Key=serialize(oauth_app_key(workspace_id, oauth_app_id)),
            ConsistentRead=True,
        )
        if "Item" not in response:
            raise NotFound(APP_NOT_FOUND)
        return OAuthAppRecord.model_validate(deserialize(response["Item"]))

    def list(self, workspace_id: str) -> list[OAuthAppRecord]:
        """The workspace's apps, oldest first (a workspace has a handful)."""
        items = self._db.query_all(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=serialize(
                {":pk": workspace_key(workspace_id), ":prefix": OAUTH_APP_PREFIX}
            ),
        )
        apps = [OAuthAppRecord.model_validate(item) for item in items]
        return sorted(apps, key=lambda app: (app.created_at, app.oauth_app_id))

    def delete(self, workspace_id: str, oauth_app_id: str) -> OAuthAppRecord:
        app = self.get(workspace_id, oauth_app_id)
        try:
            self._db.call(
                "delete_item",
                TableName=self._table,
                Key=serialize(oauth_app_key(workspace_id, oauth_app_id)),
                ConditionExpression="attribute_exists(pk) AND (attribute_not_exists(inbox_count)"
                " OR inbox_count = :zero)",
                ExpressionAttributeValues=serialize({":zero": 0}),
            )
        except ClientError as exc:
            if not is_condition_failure(exc):
                raise
            current = self.get(workspace_id, oauth_app_id)  # NotFound if deleted meanwhile
            raise OAuthAppInUse(current.inbox_count) from None
        return app

    # Consents ------------------------------------------------------------------------------

    def put_consent(self, state_hash: str, consent: ConsentRecord) -> None:
        self._db.call(
            "put_item",
            TableName=self._table,
            Item=serialize({**consent_state_key(state_hash), **consent.item()}),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def claim_consent(self, state_hash: str, now: int, used_at: str) -> tuple[ConsentRecord, bool]:
        """The consent and whether this call claimed it (False: used before, or expired);
        NotFound when no such consent exists."""
        try:
            response = self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(consent_state_key(state_hash)),
                UpdateExpression="SET used_at = :used",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(used_at)"
                " AND expires_at > :now",
                ExpressionAttributeValues=serialize({":used": used_at, ":now": now}),
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if not is_condition_failure(exc):
                raise
            if "Item" not in exc.response:
                raise NotFound("Consent") from None
            return ConsentRecord.model_validate(deserialize(exc.response["Item"])), False
        return ConsentRecord.model_validate(deserialize(response["Attributes"])), True
