"""DynamoDB access for the workspace's things. Key design (one table, keyed by workspace):

| item                | pk                 | sk                      |
| ------------------- | ------------------ | ----------------------- |
| workspace           | WS#<workspace_id>  | WORKSPACE               |
| workspace name      | WSNAME#<name>      | WSNAME                  |
| sender account      | WS#<workspace_id>  | INBOX#<inbox_id>        |
| address guard       | WS#<workspace_id>  | ADDRESS#<lower address> |
| API key             | APIKEY#<sha256>    | APIKEY                  |

An inbox and its address guard are written and deleted in one transaction, so an address is
unique per workspace under any concurrency and no guard outlives its inbox. Listing queries one
workspace's partition (`begins_with(sk, "INBOX#")`), never the table.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.adapters.aws_clients import client
from sender_accounts.config import get_settings
from sender_accounts.errors import (
    ConcurrentUpdate,
    DependencyUnavailable,
    DuplicateAddress,
    NotFound,
)

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

LIST_ATTRIBUTES = (
    "inbox_id",
    "email_address",
    "display_name",
    "inbox_type",
    "overall_status",
    "daily_limit",
    "emails_sent_today",
    "sent_day",
    "health_score",
    "created_at",
)


def workspace_key(workspace_id: str) -> str:
    return f"WS#{workspace_id}"


def inbox_key(workspace_id: str, inbox_id: str) -> dict[str, str]:
    return {"pk": workspace_key(workspace_id), "sk": f"INBOX#{inbox_id}"}


def domain_key(workspace_id: str, domain_id: str) -> dict[str, str]:
    return {"pk": workspace_key(workspace_id), "sk": f"DOMAIN#{domain_id}"}


def domain_release(table: str, workspace_id: str, inbox: dict[str, Any]) -> list[dict[str, Any]]:
    """The transaction item that uncounts a native inbox from its domain (none for others)."""
    if not inbox.get("domain_id"):
        return []
    return [
        {
            "Update": {
                "TableName": table,
                "Key": serialize(domain_key(workspace_id, inbox["domain_id"])),
                "UpdateExpression": "ADD inbox_count :minus_one",
                "ExpressionAttributeValues": serialize({":minus_one": -1}),
            }
        }
    ]


def address_key(workspace_id: str, email_address: str) -> dict[str, str]:
    return {"pk": workspace_key(workspace_id), "sk": f"ADDRESS#{email_address.lower()}"}


def serialize(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(_to_dynamo(value)) for key, value in item.items()}


def deserialize(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _from_dynamo(_deserializer.deserialize(value)) for key, value in item.items()}


def _to_dynamo(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _to_dynamo(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_to_dynamo(v) for v in value]
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo(v) for v in value]
    if hasattr(value, "value") and isinstance(value.value, bytes):  # boto3 Binary
        return bytes(value.value)
    return value


def _is_condition_failure(exc: ClientError) -> bool:
    code = exc.response.get("Error", {}).get("Code")
    if code == "ConditionalCheckFailedException":
        return True
    if code == "TransactionCanceledException":
        reasons = exc.response.get("CancellationReasons", [])
        return any(reason.get("Code") == "ConditionalCheckFailed" for reason in reasons)
    return False


class SenderAccountRepository:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = dynamodb
        self._table = table_name

    def call(self, operation: str, **kwargs: Any) -> Any:
        try:
            return getattr(self._db, operation)(**kwargs)
        except ClientError as exc:
            if _is_condition_failure(exc):
                raise
            code = exc.response.get("Error", {}).get("Code", "ClientError")
            raise DependencyUnavailable("DynamoDB", f"{operation}: {code}") from None
        except BotoCoreError as exc:
            raise DependencyUnavailable("DynamoDB", f"{operation}: {type(exc).__name__}") from None

    def address_taken(self, workspace_id: str, email_address: str) -> bool:
        response = self.call(
            "get_item",
            TableName=self._table,
            Key=serialize(address_key(workspace_id, email_address)),
            ConsistentRead=True,
            ProjectionExpression="pk",
        )
        return "Item" in response

    def create_inbox(self, workspace_id: str, inbox: dict[str, Any]) -> None:
        """Store the inbox and its address guard together; DuplicateAddress if either exists."""
        inbox_item = {**inbox_key(workspace_id, inbox["inbox_id"]), **inbox}
        guard = {
            **address_key(workspace_id, inbox["email_address"]),
            "inbox_id": inbox["inbox_id"],
        }
        try:
            self.call(
                "transact_write_items",
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": serialize(guard),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": serialize(inbox_item),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ],
            )
        except ClientError as exc:
            raise DuplicateAddress(inbox["email_address"]) from exc

    def get_inbox(self, workspace_id: str, inbox_id: str) -> dict[str, Any]:
        response = self.call(
            "get_item",
            TableName=self._table,
            Key=serialize(inbox_key(workspace_id, inbox_id)),
            ConsistentRead=True,
        )
        if "Item" not in response:
            raise NotFound()
        return deserialize(response["Item"])

    def delete_inbox(self, workspace_id: str, inbox_id: str) -> dict[str, Any]:
        """Delete the inbox with its guard and secrets; NotFound if the workspace has no such id."""
        inbox = self.get_inbox(workspace_id, inbox_id)
        try:
            self.call(
                "transact_write_items",
                TransactItems=[
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": serialize(inbox_key(workspace_id, inbox_id)),
                            "ConditionExpression": "attribute_exists(pk)",
                        }
                    },
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": serialize(address_key(workspace_id, inbox["email_address"])),
                        }
                    },
                    *domain_release(self._table, workspace_id, inbox),
                ],
            )
        except ClientError as exc:  # deleted concurrently by another request
            raise NotFound() from exc
        return inbox

    def reserve_send(self, workspace_id: str, inbox_id: str, today: str) -> bool:
        """Count one email against today's limit, atomically; False when the limit is reached.

        The counter belongs to a UTC day (`sent_day`): the first send of a new day starts it
        again at one. Two conditional writes cover the two cases; retried if a new day began
        between them."""
        key = serialize(inbox_key(workspace_id, inbox_id))
        values = serialize({":one": 1, ":today": today})
        for _attempt in range(3):
            try:
                self.call(
                    "update_item",
                    TableName=self._table,
                    Key=key,
                    UpdateExpression="SET emails_sent_today = emails_sent_today + :one",
                    ConditionExpression=(
                        "attribute_exists(pk) AND sent_day = :today"
                        " AND emails_sent_today < daily_limit"
                    ),
                    ExpressionAttributeValues=values,
                )
                return True
            except ClientError:
                pass
            try:
                self.call(
                    "update_item",
                    TableName=self._table,
                    Key=key,
                    UpdateExpression="SET emails_sent_today = :one, sent_day = :today",
                    ConditionExpression=(
                        "attribute_exists(pk) AND (attribute_not_exists(sent_day)"
                        " OR sent_day <> :today) AND daily_limit >= :one"
                    ),
                    ExpressionAttributeValues=values,
                )
                return True
            except ClientError:
                pass
            current = self.get_inbox(workspace_id, inbox_id)  # NotFound if deleted meanwhile
            if (
                current.get("sent_day") == today
                and current["emails_sent_today"] >= current["daily_limit"]
            ):
                return False
        return False

    def release_send(self, workspace_id: str, inbox_id: str, today: str) -> None:
        """Give back a counted email whose sending failed."""
        # A condition failure means a new day began meanwhile: nothing of today's to give back.
        with contextlib.suppress(ClientError):
            self.call(
                "update_item",
                TableName=self._table,
                Key=serialize(inbox_key(workspace_id, inbox_id)),
                UpdateExpression="SET emails_sent_today = emails_sent_today - :one",
                ConditionExpression="sent_day = :today AND emails_sent_today > :zero",
                ExpressionAttributeValues=serialize({":one": 1, ":zero": 0, ":today": today}),
            )

    def update_inbox(
        self,
        workspace_id: str,
        inbox_id: str,
        changes: dict[str, Any],
        expected_updated_at: str,
    ) -> dict[str, Any]:
        """Apply `changes` if nobody changed the inbox since it was read; the inbox after."""
        names = {f"#f{i}": name for i, name in enumerate(changes)}
        values = {f":v{i}": value for i, value in enumerate(changes.values())}
        values[":expected"] = expected_updated_at
        try:
            response = self.call(
                "update_item",
                TableName=self._table,
                Key=serialize(inbox_key(workspace_id, inbox_id)),
                UpdateExpression="SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(changes))),
                ConditionExpression="attribute_exists(pk) AND updated_at = :expected",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=serialize(values),
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            raise ConcurrentUpdate() from exc
        return deserialize(response["Attributes"])

    def iter_inbox_summaries(
        self,
        workspace_id: str,
        inbox_type: str | None = None,
        status: str | None = None,
        search: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The workspace's inboxes matching the filters, list attributes only, in key order."""
        names = {f"#a{i}": name for i, name in enumerate(LIST_ATTRIBUTES)}
        projection = ", ".join(names)
        values: dict[str, Any] = {":pk": workspace_key(workspace_id), ":prefix": "INBOX#"}
        filters: list[str] = []
        if inbox_type:
            names["#type"] = "inbox_type"
            values[":type"] = inbox_type
            filters.append("#type = :type")
        if status:
            names["#status"] = "overall_status"
            values[":status"] = status
            filters.append("#status = :status")
        if search:
            names["#lower"] = "email_lower"
            values[":search"] = search.lower()
            filters.append("contains(#lower, :search)")
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ProjectionExpression": projection,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": serialize(values),
        }
        if filters:
            request["FilterExpression"] = " AND ".join(filters)
        while True:
            response = self.call("query", **request)
            for item in response.get("Items", []):
                yield deserialize(item)
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def get_api_key(self, key_hash: str) -> dict[str, Any] | None:
        response = self.call(
            "get_item", TableName=self._table, Key=serialize(api_key_key(key_hash))
        )
        return deserialize(response["Item"]) if "Item" in response else None

    def put_api_key(self, key_hash: str, record: dict[str, Any]) -> None:
        self.call(
            "put_item",
            TableName=self._table,
            Item=serialize({**api_key_key(key_hash), **record}),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def workspace_id_for_name(self, name: str, new_id: str) -> str:
        """The id of the workspace called `name`, creating it with `new_id` if it is new."""
        try:
            self.call(
                "transact_write_items",
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": serialize(
                                {"pk": f"WSNAME#{name}", "sk": "WSNAME", "workspace_id": new_id}
                            ),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": serialize(
                                {"pk": workspace_key(new_id), "sk": "WORKSPACE", "name": name}
                            ),
                        }
                    },
                ],
            )
            return new_id
        except ClientError:
            response = self.call(
                "get_item",
                TableName=self._table,
                Key=serialize({"pk": f"WSNAME#{name}", "sk": "WSNAME"}),
                ConsistentRead=True,
            )
            return str(deserialize(response["Item"])["workspace_id"])


def api_key_key(key_hash: str) -> dict[str, str]:
    return {"pk": f"APIKEY#{key_hash}", "sk": "APIKEY"}


@lru_cache(maxsize=1)
def repository() -> SenderAccountRepository:
    """The process's repository; here rather than in composition so the authorizer, which needs only
    this, does not import the whole domain on a cold start."""
    return SenderAccountRepository(client("dynamodb"), get_settings().table_name)
