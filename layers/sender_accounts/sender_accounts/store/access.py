"""Workspaces and API keys in DynamoDB: only a key's SHA-256 is stored, never the key."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.store.dynamo import Dynamo, deserialize, put, serialize
from sender_accounts.store.keys import api_key_key, workspace_by_name_key, workspace_key


class AccessStore:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table_name

    def get_api_key(self, key_hash: str) -> dict[str, Any] | None:
        response = self._db.call(
            "get_item", TableName=self._table, Key=serialize(api_key_key(key_hash))
        )
        return deserialize(response["Item"]) if "Item" in response else None

    def put_api_key(self, key_hash: str, record: dict[str, Any]) -> None:
        self._db.call(
            "put_item",
            TableName=self._table,
            Item=serialize({**api_key_key(key_hash), **record}),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def workspace_id_for_name(self, name: str, new_id: str) -> str:
        """The id of the workspace called `name`, creating it with `new_id` if it is new."""
        named = {**workspace_by_name_key(name), "workspace_id": new_id}
        workspace = {"pk": workspace_key(new_id), "sk": "WORKSPACE", "name": name}
        try:
            self._db.transact(
                [
                    put(self._table, named, "attribute_not_exists(pk)"),
                    put(self._table, workspace),
                ]
            )
            return new_id
        except ClientError:
            response = self._db.call(
                "get_item",
                TableName=self._table,
                Key=serialize(workspace_by_name_key(name)),
                ConsistentRead=True,
            )
            return str(deserialize(response["Item"])["workspace_id"])
