"""Sender accounts in DynamoDB: create and delete with their address guard (inbox_writes.py),
read, update under optimistic concurrency, count test emails against the UTC day, and list one
workspace's partition (`begins_with(sk, "INBOX#")`), never the table. Keys are in keys.py."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.errors import ConcurrentUpdate, DomainNotActive, DuplicateAddress, NotFound
from sender_accounts.store.dynamo import (
    Dynamo,
    cancellation_reasons,
    deserialize,
    serialize,
    set_fields,
)
from sender_accounts.store.inbox_writes import inbox_creation, inbox_deletion
from sender_accounts.store.keys import INBOX_PREFIX, address_key, inbox_key, workspace_key
from sender_accounts.store.records import InboxRecord, InboxSummary

LIST_ATTRIBUTES = tuple(InboxSummary.model_fields)


class SenderAccountRepository:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table_name

    def address_taken(self, workspace_id: str, email_address: str) -> bool:
        response = self._db.call(
            "get_item",
            TableName=self._table,
            Key=serialize(address_key(workspace_id, email_address)),
            ConsistentRead=True,
            ProjectionExpression="pk",
        )
        return "Item" in response

    def create_inbox(self, workspace_id: str, inbox: InboxRecord) -> None:
        """Store the inbox and its address guard together; DuplicateAddress if either exists,
        DomainNotActive when a native inbox's domain is no longer ACTIVE."""
        try:
            self._db.transact(inbox_creation(self._table, workspace_id, inbox))
        except ClientError as exc:
            if "ConditionalCheckFailed" in cancellation_reasons(exc)[2:]:  # the domain count
                domain = inbox.email_address.rsplit("@", 1)[1]
                raise DomainNotActive(domain, "no longer ACTIVE") from exc
            raise DuplicateAddress(inbox.email_address) from exc

    def get_inbox(self, workspace_id: str, inbox_id: str) -> InboxRecord:
        response = self._db.call(
            "get_item",
            TableName=self._table,
            Key=serialize(inbox_key(workspace_id, inbox_id)),
            ConsistentRead=True,
        )
        if "Item" not in response:
            raise NotFound()
        return InboxRecord.model_validate(deserialize(response["Item"]))

    def delete_inbox(self, workspace_id: str, inbox_id: str) -> InboxRecord:
        """Delete the inbox with its guard and secrets; NotFound if the workspace has no such id."""
        inbox = self.get_inbox(workspace_id, inbox_id)
        try:
            self._db.transact(inbox_deletion(self._table, workspace_id, inbox))
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
                self._db.call(
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
                self._db.call(
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
            if current.sent_day == today and current.emails_sent_today >= current.daily_limit:
                return False
        return False

    def release_send(self, workspace_id: str, inbox_id: str, today: str) -> None:
        """Give back a counted email whose sending failed."""
        # A condition failure means a new day began meanwhile: nothing of today's to give back.
        with contextlib.suppress(ClientError):
            self._db.call(
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
    ) -> InboxRecord:
        """Apply `changes` if nobody changed the inbox since it was read; the inbox after."""
        update = set_fields(changes)
        values = {**update.pop("ExpressionAttributeValues"), ":expected": expected_updated_at}
        try:
            response = self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(inbox_key(workspace_id, inbox_id)),
                ConditionExpression="attribute_exists(pk) AND updated_at = :expected",
                ExpressionAttributeValues=serialize(values),
                ReturnValues="ALL_NEW",
                **update,
            )
        except ClientError as exc:
            raise ConcurrentUpdate() from exc
        return InboxRecord.model_validate(deserialize(response["Attributes"]))

    def iter_inbox_summaries(
        self,
        workspace_id: str,
        inbox_type: str | None = None,
        status: str | None = None,
        search: str | None = None,
    ) -> Iterator[InboxSummary]:
        """The workspace's inboxes matching the filters, list attributes only, in key order."""
        names = {f"#a{i}": name for i, name in enumerate(LIST_ATTRIBUTES)}
        projection = ", ".join(names)
        values: dict[str, Any] = {":pk": workspace_key(workspace_id), ":prefix": INBOX_PREFIX}
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
        for item in self._db.query_all(**request):
            yield InboxSummary.model_validate(item)
