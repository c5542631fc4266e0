"""Workspace domains in DynamoDB: the domain item, the workspace's one registration of a name,
and the name's owner once ownership is proven (keys.py has the key design)."""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.errors import DomainInUse, DuplicateDomain
from sender_accounts.store.domain_lists import DOMAIN_COUNTER, domain_index_attributes
from sender_accounts.store.dynamo import Dynamo, delete, deserialize, put, serialize, set_fields
from sender_accounts.store.keys import (
    domain_key,
    domain_owner_key,
    workspace_name_key,
)
from sender_accounts.store.list_index import count_change
from sender_accounts.store.records import DomainRecord


class DomainStore:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table_name

    def register(self, workspace_id: str, item: DomainRecord) -> None:
        """The domain and the workspace's registration of its name, both pending until proven;
        DuplicateDomain when this workspace registered the name already (and it has not
        expired). Another workspace's registration of the name is no obstacle."""
        name = {"domain_id": item.domain_id, "expires_at": item.pending_until}
        registration = put(
            self._table,
            {**workspace_name_key(workspace_id, item.domain), **name},
            "attribute_not_exists(pk) OR expires_at < :now",
        )
        registration["Put"]["ExpressionAttributeValues"] = serialize({":now": int(time.time())})
        try:
            self._db.transact(
                [
                    registration,
                    put(
                        self._table,
                        {
                            **domain_key(workspace_id, item.domain_id),
                            **item.item(),
                            **domain_index_attributes(
                                workspace_id, item.domain_id, item.created_at
                            ),
                        },
                    ),
                    count_change(self._table, workspace_id, {DOMAIN_COUNTER: 1}),
                ]
            )
        except ClientError as exc:
            raise DuplicateDomain(item.domain) from exc

    def take_ownership(self, workspace_id: str, item: DomainRecord) -> bool:
        """Record this workspace as the name's owner and the domain as proven, all or nothing;
        False when another workspace owns the name, the registration lapsed, or a concurrent
        request proved it first. The domain counter does not move: pending or proven, it is one
        domain."""
        owner = {"workspace_id": workspace_id, "domain_id": item.domain_id}
        proven = {
            "Update": {
                "TableName": self._table,
                "Key": serialize(domain_key(workspace_id, item.domain_id)),
                "UpdateExpression": "SET #s = :proven REMOVE pending_until",
                "ConditionExpression": "#s = :pending AND pending_until >= :now",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": serialize(
                    {":proven": "DNS_PENDING", ":pending": "PENDING", ":now": int(time.time())}
                ),
            }
        }
        kept = {
            "Update": {
                "TableName": self._table,
                "Key": serialize(workspace_name_key(workspace_id, item.domain)),
                "UpdateExpression": "REMOVE expires_at",
            }
        }
        owner_item = {**domain_owner_key(item.domain), **owner}
        try:
            self._db.transact(
                [
                    put(self._table, owner_item, "attribute_not_exists(pk)"),
                    proven,
                    kept,
                ]
            )
        except ClientError:
            return False
        return True

    def release_ownership(self, domain: str) -> None:
        self._db.call("delete_item", TableName=self._table, Key=serialize(domain_owner_key(domain)))

    def set(self, workspace_id: str, domain_id: str, values: dict[str, Any]) -> DomainRecord:
        response = self._db.call(
            "update_item",
            TableName=self._table,
            Key=serialize(domain_key(workspace_id, domain_id)),
            ReturnValues="ALL_NEW",
            **_serialized(set_fields(values)),
        )
        return DomainRecord.model_validate(deserialize(response["Attributes"]))

    def get(self, workspace_id: str, domain_id: str) -> DomainRecord | None:
        response = self._db.call(
            "get_item",
            TableName=self._table,
            Key=serialize(domain_key(workspace_id, domain_id)),
            ConsistentRead=True,
        )
        if "Item" not in response:
            return None
        return DomainRecord.model_validate(deserialize(response["Item"]))

    def delete(self, workspace_id: str, item: DomainRecord, owned: bool) -> None:
        """The domain, its registration and, if this workspace owns the name, the ownership;
        DomainInUse while inboxes use it."""
        in_use = delete(
            self._table,
            domain_key(workspace_id, item.domain_id),
            "attribute_exists(pk) AND inbox_count = :zero",
        )
        in_use["Delete"]["ExpressionAttributeValues"] = serialize({":zero": 0})
        removals = [
            in_use,
            delete(self._table, workspace_name_key(workspace_id, item.domain)),
            count_change(self._table, workspace_id, {DOMAIN_COUNTER: -1}),
        ]
        if owned:
            ownership = delete(self._table, domain_owner_key(item.domain), "workspace_id = :me")
            ownership["Delete"]["ExpressionAttributeValues"] = serialize({":me": workspace_id})
            removals.append(ownership)
        try:
            self._db.transact(removals)
        except ClientError as exc:
            raise DomainInUse(item.inbox_count) from exc


def _serialized(update: dict[str, Any]) -> dict[str, Any]:
    return {**update, "ExpressionAttributeValues": serialize(update["ExpressionAttributeValues"])}
