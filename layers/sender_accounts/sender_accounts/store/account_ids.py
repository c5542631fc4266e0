"""Integer account ids (SmartLead's `account_id`): one counter per deployment, incremented
atomically, so an id is unique and never reused (an id a failed creation took is skipped, not
given again); a lookup item per id finds its inbox, written and deleted in the inbox's own
transactions (inboxes.py), so an id always names an inbox that exists."""

from __future__ import annotations

from typing import Any

from sender_accounts.store.dynamo import Dynamo, delete, deserialize, put, serialize
from sender_accounts.store.records import InboxRecord

COUNTER_KEY = {"pk": "SEQ#account_id", "sk": "SEQ"}


def lookup_key(account_id: int) -> dict[str, str]:
    return {"pk": f"ACCT#{account_id}", "sk": "ACCT"}


def lookup_written(table: str, workspace_id: str, inbox: InboxRecord) -> list[dict[str, Any]]:
    """The transaction item that makes the inbox's id findable (none without an id)."""
    if inbox.account_id is None:
        return []
    item = {
        **lookup_key(inbox.account_id),
        "workspace_id": workspace_id,
        "inbox_id": inbox.inbox_id,
    }
    return [put(table, item, "attribute_not_exists(pk)")]


def lookup_deleted(table: str, inbox: InboxRecord) -> list[dict[str, Any]]:
    return [] if inbox.account_id is None else [delete(table, lookup_key(inbox.account_id))]


class AccountIds:
    def __init__(self, db: Dynamo, table: str) -> None:
        self._db = db
        self._table = table

    def allocate(self) -> int:
        """The next id: one atomic increment of the deployment's counter."""
        response = self._db.call(
            "update_item",
            TableName=self._table,
            Key=serialize(COUNTER_KEY),
            UpdateExpression="ADD next_id :one",
            ExpressionAttributeValues=serialize({":one": 1}),
            ReturnValues="UPDATED_NEW",
        )
        return int(deserialize(response["Attributes"])["next_id"])

    def find(self, account_id: int) -> tuple[str, str] | None:
        """(workspace id, inbox id) of the inbox with this id; None when there is none."""
        response = self._db.call(
            "get_item",
            TableName=self._table,
            Key=serialize(lookup_key(account_id)),
            ConsistentRead=True,
        )
        item = deserialize(response.get("Item", {}))
        return (item["workspace_id"], item["inbox_id"]) if item else None
