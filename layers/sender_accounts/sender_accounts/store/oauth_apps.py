"""OAuth apps in DynamoDB (keys.py has the key design).

An app counts the inboxes that use it (`inbox_count`, moved in the inbox's own create and
delete transactions), so it cannot be deleted from under them.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.common.ids import known_form
from sender_accounts.errors import NotFound, OAuthAppInUse
from sender_accounts.store.dynamo import Dynamo, deserialize, is_condition_failure, serialize
from sender_accounts.store.keys import (
    OAUTH_APP_PREFIX,
    oauth_app_key,
    workspace_key,
)
from sender_accounts.store.records import OAuthAppRecord

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
