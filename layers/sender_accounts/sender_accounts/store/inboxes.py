"""Inboxes (sender accounts' stored records) in DynamoDB: create and delete with their address
guard (inbox_writes.py), read, update under optimistic concurrency, count test emails against
the UTC day, and list one workspace's partition (`begins_with(sk, "INBOX#")`), never the table.
Keys are in keys.py."""

from __future__ import annotations

import contextlib
from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.common.ids import known_form
from sender_accounts.errors import (
    ConcurrentUpdate,
    DomainNotActive,
    DuplicateAddress,
    FieldRuleViolated,
    NotFound,
)
from sender_accounts.store.due_index import due_attributes
from sender_accounts.store.dynamo import (
    Dynamo,
    cancellation_reasons,
    deserialize,
    is_condition_failure,
    serialize,
    set_fields,
)
from sender_accounts.store.inbox_writes import inbox_creation, inbox_deletion
from sender_accounts.store.keys import address_key, inbox_key
from sender_accounts.store.list_index import changed_index_attributes, counters_moved
from sender_accounts.store.records import InboxRecord, InboxSummary

LIST_ATTRIBUTES = tuple(InboxSummary.model_fields)
# The list indexes' copy of the list attributes (list_index.py) counts sends too.
SUMMARY_NAME = {"#sm": "summary"}


class InboxStore:
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
            if "ConditionalCheckFailed" in cancellation_reasons(exc)[2:] and inbox.oauth_app_id:
                raise FieldRuleViolated("oauth_app_id", "The OAuth app was deleted") from exc
            if "ConditionalCheckFailed" in cancellation_reasons(exc)[2:]:  # the domain count
                domain = inbox.email_address.rsplit("@", 1)[1]
                raise DomainNotActive(domain, "no longer ACTIVE") from exc
            raise DuplicateAddress(inbox.email_address) from exc

    def get_inbox(self, workspace_id: str, inbox_id: str) -> InboxRecord:
        known_form(inbox_id, "Sender account")
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

    def save_tokens(
        self, workspace_id: str, inbox_id: str, ciphertext: bytes, replaced_version: int
    ) -> bool:
        """Store refreshed OAuth tokens if the ones they replace are still the stored ones;
        False when another refresh saved first (its tokens stay: both pairs are valid, and
        overwriting could lose a rotated refresh token). The revision is left alone: a token
        refresh is no change a concurrent update has to notice."""
        unchanged = "token_version = :replaced"
        if not replaced_version:
            unchanged = "(attribute_not_exists(token_version) OR token_version = :replaced)"
        try:
            self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(inbox_key(workspace_id, inbox_id)),
                UpdateExpression="SET tokens_ciphertext = :tokens, token_version = :next",
                ConditionExpression=f"attribute_exists(pk) AND {unchanged}",
                ExpressionAttributeValues=serialize(
                    {
                        ":tokens": ciphertext,
                        ":replaced": replaced_version,
                        ":next": replaced_version + 1,
                    }
                ),
            )
        except ClientError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

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
                    UpdateExpression=(
                        "SET emails_sent_today = emails_sent_today + :one,"
                        " #sm.emails_sent_today = emails_sent_today + :one"
                    ),
                    ExpressionAttributeNames=SUMMARY_NAME,
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
                    UpdateExpression=(
                        "SET emails_sent_today = :one, sent_day = :today,"
                        " #sm.emails_sent_today = :one, #sm.sent_day = :today"
                    ),
                    ExpressionAttributeNames=SUMMARY_NAME,
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
                UpdateExpression=(
                    "SET emails_sent_today = emails_sent_today - :one,"
                    " #sm.emails_sent_today = emails_sent_today - :one"
                ),
                ExpressionAttributeNames=SUMMARY_NAME,
                ConditionExpression="sent_day = :today AND emails_sent_today > :zero",
                ExpressionAttributeValues=serialize({":one": 1, ":zero": 0, ":today": today}),
            )

    def update_inbox(
        self, workspace_id: str, before: InboxRecord, changes: dict[str, Any]
    ) -> InboxRecord:
        """Apply `changes` if nobody changed the inbox since `before` was read; the inbox after.
        The list and due indexes follow the change, and a new status or health band moves the
        workspace's counters in the same transaction."""
        changes = {**changes, "revision": before.revision + 1}
        after = before.model_copy(update=changes)
        indexed = changed_index_attributes(workspace_id, before, changes)
        update = set_fields({**changes, **indexed, **due_attributes(after)})
        values = {**update.pop("ExpressionAttributeValues"), ":expected": before.revision}
        unchanged = "revision = :expected"
        if not before.revision:  # also an inbox stored before revisions were kept
            unchanged = "(attribute_not_exists(revision) OR revision = :expected)"
        request = {
            "TableName": self._table,
            "Key": serialize(inbox_key(workspace_id, before.inbox_id)),
            "ConditionExpression": f"attribute_exists(pk) AND {unchanged}",
            "ExpressionAttributeValues": serialize(values),
            **update,
        }
        moved = counters_moved(self._table, workspace_id, before, after)
        try:
            if moved is None:
                response = self._db.call("update_item", ReturnValues="ALL_NEW", **request)
                return InboxRecord.model_validate(deserialize(response["Attributes"]))
            self._db.transact([{"Update": request}, moved])
        except ClientError as exc:
            raise ConcurrentUpdate() from exc
        return after
