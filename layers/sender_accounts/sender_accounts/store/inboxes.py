"""Inboxes (sender accounts' stored records) in DynamoDB: create and delete, read, update under
optimistic concurrency; emails sent today are counted by daily_sends.py. Keys are in keys.py.

Creation and deletion are one transaction shape each, written once for every path that creates
or deletes (single, bulk, native): an inbox and its address guard go in and out together, so an
address is unique per workspace under any concurrency and no guard outlives its inbox; a native
inbox also counts on its domain, so the domain cannot be deleted under it (an OAuth2 inbox on
its OAuth app, likewise); the workspace's list counters and its address's search keys move with
the inbox (list_index.py, search_index.py); a monitored inbox enters the due index."""

from __future__ import annotations

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
from sender_accounts.store.account_ids import AccountIds, lookup_deleted, lookup_written
from sender_accounts.store.daily_sends import DailySends
from sender_accounts.store.due_index import due_attributes
from sender_accounts.store.dynamo import (
    Dynamo,
    cancellation_reasons,
    delete,
    deserialize,
    is_condition_failure,
    put,
    serialize,
    set_fields,
)
from sender_accounts.store.keys import address_key, domain_key, inbox_key, oauth_app_key
from sender_accounts.store.list_index import (
    changed_index_attributes,
    counters_moved,
    inbox_counted,
    index_attributes,
)
from sender_accounts.store.records import InboxChanges, InboxRecord, InboxSummary
from sender_accounts.store.search_index import search_entries_deleted, search_entries_written
from sender_accounts.store.warmup_members import member_attributes

LIST_ATTRIBUTES = tuple(InboxSummary.model_fields)
# The list indexes' copy of the list attributes (list_index.py) counts sends too.
SUMMARY_NAME = {"#sm": "summary"}


class InboxStore:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table_name
        self._sends = DailySends(self._db, table_name, self.get_inbox)
        self._ids = AccountIds(self._db, table_name)

    def address_taken(self, workspace_id: str, email_address: str) -> bool:
        response = self._db.call(
            "get_item",
            TableName=self._table,
            Key=serialize(address_key(workspace_id, email_address)),
            ConsistentRead=True,
            ProjectionExpression="pk",
        )
        return "Item" in response

    def create_inbox(self, workspace_id: str, inbox: InboxRecord) -> InboxRecord:
        """Store the inbox and its address guard together, with its integer id; the inbox as
        stored. DuplicateAddress if either exists, DomainNotActive when a native inbox's domain
        is no longer ACTIVE."""
        if inbox.account_id is None:
            inbox = inbox.model_copy(update={"account_id": self._ids.allocate()})
        try:
            self._db.transact(inbox_creation(self._table, workspace_id, inbox))
        except ClientError as exc:
            if "ConditionalCheckFailed" in cancellation_reasons(exc)[2:] and inbox.oauth_app_id:
                raise FieldRuleViolated("oauth_app_id", "The OAuth app was deleted") from exc
            if "ConditionalCheckFailed" in cancellation_reasons(exc)[2:]:  # the domain count
                domain = inbox.email_address.rsplit("@", 1)[1]
                raise DomainNotActive(domain, "no longer ACTIVE") from exc
            raise DuplicateAddress(inbox.email_address) from exc
        return inbox

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
        """Count one email against today's limit, atomically; False when the limit is reached."""
        return self._sends.reserve(workspace_id, inbox_id, today)

    def release_send(self, workspace_id: str, inbox_id: str, today: str) -> None:
        """Give back a counted email whose sending failed."""
        self._sends.release(workspace_id, inbox_id, today)

    def update_inbox(
        self, workspace_id: str, before: InboxRecord, update: InboxChanges
    ) -> InboxRecord:
        """Apply `changes` if nobody changed the inbox since `before` was read; the inbox after.
        The list and due indexes follow the change, and a new status or health band moves the
        workspace's counters in the same transaction."""
        changes = {**update.fields(), "revision": before.revision + 1}
        after = before.model_copy(update=changes)
        indexed = changed_index_attributes(workspace_id, before, changes)
        warmup = member_attributes(workspace_id, before, after, after.updated_at)
        kept = {k: v for k, v in warmup.items() if k in InboxRecord.model_fields}
        after = after.model_copy(update=kept)
        written = set_fields({**changes, **indexed, **due_attributes(after), **warmup})
        values = {**written.pop("ExpressionAttributeValues"), ":expected": before.revision}
        unchanged = "revision = :expected"
        if not before.revision:  # also an inbox stored before revisions were kept
            unchanged = "(attribute_not_exists(revision) OR revision = :expected)"
        request = {
            "TableName": self._table,
            "Key": serialize(inbox_key(workspace_id, before.inbox_id)),
            "ConditionExpression": f"attribute_exists(pk) AND {unchanged}",
            "ExpressionAttributeValues": serialize(values),
            **written,
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


def inbox_creation(table: str, workspace_id: str, inbox: InboxRecord) -> list[dict[str, Any]]:
    guard = {**address_key(workspace_id, inbox.email_address), "inbox_id": inbox.inbox_id}
    return [
        put(table, guard, "attribute_not_exists(pk)"),
        put(
            table,
            {
                **inbox_key(workspace_id, inbox.inbox_id),
                **inbox.item(),
                **index_attributes(workspace_id, inbox),
                **due_attributes(inbox),
                **member_attributes(workspace_id, None, inbox, inbox.created_at),
            },
            "attribute_not_exists(pk)",
        ),
        *domain_count(table, workspace_id, inbox, +1),
        *oauth_app_count(table, workspace_id, inbox, +1),
        inbox_counted(table, workspace_id, inbox, +1),
        *search_entries_written(table, workspace_id, inbox),
        *lookup_written(table, workspace_id, inbox),
    ]


def inbox_deletion(table: str, workspace_id: str, inbox: InboxRecord) -> list[dict[str, Any]]:
    return [
        delete(table, inbox_key(workspace_id, inbox.inbox_id), "attribute_exists(pk)"),
        delete(table, address_key(workspace_id, inbox.email_address)),
        *domain_count(table, workspace_id, inbox, -1),
        *oauth_app_count(table, workspace_id, inbox, -1),
        inbox_counted(table, workspace_id, inbox, -1),
        *search_entries_deleted(table, workspace_id, inbox),
        *lookup_deleted(table, inbox),
    ]


def domain_count(
    table: str, workspace_id: str, inbox: InboxRecord, delta: int
) -> list[dict[str, Any]]:
    """Count a native inbox on its domain (none for other inboxes); a new one needs the domain
    still ACTIVE."""
    if not inbox.domain_id:
        return []
    key = domain_key(workspace_id, inbox.domain_id)
    status_active = ("#s = :active", {"#s": "status"}, {":active": "ACTIVE"})
    return [_counted_on(table, key, delta, *status_active)]


def oauth_app_count(
    table: str, workspace_id: str, inbox: InboxRecord, delta: int
) -> list[dict[str, Any]]:
    """Count an OAuth2 inbox on its app (none for other inboxes); a new one needs the app."""
    if not inbox.oauth_app_id:
        return []
    key = oauth_app_key(workspace_id, inbox.oauth_app_id)
    return [_counted_on(table, key, delta, "attribute_exists(pk)", {}, {})]


def _counted_on(
    table: str,
    key: dict[str, Any],
    delta: int,
    needed: str,
    names: dict[str, str],
    values: dict[str, Any],
) -> dict[str, Any]:
    """`inbox_count` moved on the item an inbox depends on; adding one needs `needed` (a
    condition with its `names` and `values`)."""
    update: dict[str, Any] = {
        "TableName": table,
        "Key": serialize(key),
        "UpdateExpression": "ADD inbox_count :delta",
        "ExpressionAttributeValues": serialize({":delta": delta}),
    }
    if delta > 0:
        update["ConditionExpression"] = needed
        update["ExpressionAttributeValues"] = serialize({":delta": delta, **values})
        if names:
            update["ExpressionAttributeNames"] = names
    return {"Update": update}
