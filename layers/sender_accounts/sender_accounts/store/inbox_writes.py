"""The transaction shapes that create and delete an inbox, written once for every path that
does (single, bulk, native): an inbox and its address guard go in and out together, so an
address is unique per workspace under any concurrency and no guard outlives its inbox; a
native inbox also counts on its domain, so the domain cannot be deleted under it (an OAuth2
inbox on its OAuth app, likewise); and the
workspace's list counters and its address's search keys move with the inbox (list_index.py,
search_index.py); a monitored inbox enters the due index (due_index.py)."""

from __future__ import annotations

from typing import Any

from sender_accounts.store.due_index import due_attributes
from sender_accounts.store.dynamo import delete, put, serialize
from sender_accounts.store.keys import address_key, domain_key, inbox_key, oauth_app_key
from sender_accounts.store.list_index import inbox_counted, index_attributes
from sender_accounts.store.records import InboxRecord
from sender_accounts.store.search_index import search_entries_deleted, search_entries_written


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
            },
            "attribute_not_exists(pk)",
        ),
        *domain_count(table, workspace_id, inbox, +1),
        *oauth_app_count(table, workspace_id, inbox, +1),
        inbox_counted(table, workspace_id, inbox, +1),
        *search_entries_written(table, workspace_id, inbox),
    ]


def inbox_deletion(table: str, workspace_id: str, inbox: InboxRecord) -> list[dict[str, Any]]:
    return [
        delete(table, inbox_key(workspace_id, inbox.inbox_id), "attribute_exists(pk)"),
        delete(table, address_key(workspace_id, inbox.email_address)),
        *domain_count(table, workspace_id, inbox, -1),
        *oauth_app_count(table, workspace_id, inbox, -1),
        inbox_counted(table, workspace_id, inbox, -1),
        *search_entries_deleted(table, workspace_id, inbox),
    ]


def domain_count(
    table: str, workspace_id: str, inbox: InboxRecord, delta: int
) -> list[dict[str, Any]]:
    """Count a native inbox on its domain (none for other inboxes); a new one needs the domain
    still ACTIVE."""
    if not inbox.domain_id:
        return []
    update: dict[str, Any] = {
        "TableName": table,
        "Key": serialize(domain_key(workspace_id, inbox.domain_id)),
        "UpdateExpression": "ADD inbox_count :delta",
        "ExpressionAttributeValues": serialize({":delta": delta}),
    }
    if delta > 0:
        update["ConditionExpression"] = "#s = :active"
        update["ExpressionAttributeNames"] = {"#s": "status"}
        update["ExpressionAttributeValues"] = serialize({":delta": delta, ":active": "ACTIVE"})
    return [{"Update": update}]


def oauth_app_count(
    table: str, workspace_id: str, inbox: InboxRecord, delta: int
) -> list[dict[str, Any]]:
    """Count an OAuth2 inbox on its app (none for other inboxes); a new one needs the app."""
    if not inbox.oauth_app_id:
        return []
    update: dict[str, Any] = {
        "TableName": table,
        "Key": serialize(oauth_app_key(workspace_id, inbox.oauth_app_id)),
        "UpdateExpression": "ADD inbox_count :delta",
        "ExpressionAttributeValues": serialize({":delta": delta}),
    }
    if delta > 0:
        update["ConditionExpression"] = "attribute_exists(pk)"
    return [{"Update": update}]
