"""Inboxes stored before a later addition gain what it gives every new inbox: the warm-up list
index's keys, their list entry's warm-up fields and their warm-up status counter; and an integer
account id with its lookup (account_ids.py). A marked one-off scan, run once per deployment by
the warm-up planner beside the adoption of stored members (warmup_members.adopt_stored).

Each inbox is written only if it is unchanged since it was read (its revision) and still lacks
what is added; a write that changed it meanwhile is met by the next deployment's run."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.store.account_ids import AccountIds, lookup_written
from sender_accounts.store.dynamo import Dynamo, serialize, set_fields
from sender_accounts.store.keys import INBOX_PREFIX, inbox_key, workspace_key
from sender_accounts.store.list_index import (
    WARMUP_SCOPE_KEY,
    count_change,
    count_names,
    index_attributes,
    listed,
)
from sender_accounts.store.records import InboxRecord

LISTED = (WARMUP_SCOPE_KEY, "ls_wrep", "summary")


class StoredInboxBackfill:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table
        self._ids = AccountIds(self._db, table)

    def run(self) -> int:
        """How many stored inboxes gained something."""
        written = 0
        request = {
            "TableName": self._table,
            "FilterExpression": "begins_with(sk, :inbox)"
            " AND (attribute_not_exists(#w) OR attribute_not_exists(account_id))",
            "ExpressionAttributeNames": {"#w": WARMUP_SCOPE_KEY},
            "ExpressionAttributeValues": serialize({":inbox": INBOX_PREFIX}),
        }
        for item in self._db.scan_all(**request):
            workspace_id = item["pk"].removeprefix(workspace_key(""))
            inbox = InboxRecord.model_validate(item)
            written += self._backfill(workspace_id, inbox, listed_before=WARMUP_SCOPE_KEY in item)
        return written

    def _backfill(self, workspace_id: str, inbox: InboxRecord, listed_before: bool) -> int:
        added: dict[str, Any] = {}
        effects: list[dict[str, Any]] = []
        if not listed_before:
            attributes = index_attributes(workspace_id, inbox)
            added |= {name: attributes[name] for name in LISTED}
            counted = {count_names(None, None, listed(inbox).warmup_status): 1}
            effects.append(count_change(self._table, workspace_id, counted))
        if inbox.account_id is None:
            inbox = inbox.model_copy(update={"account_id": self._ids.allocate()})
            added["account_id"] = inbox.account_id
            effects += lookup_written(self._table, workspace_id, inbox)
        update = set_fields(added)
        values = {**update["ExpressionAttributeValues"], ":seen": inbox.revision}
        unchanged = "revision = :seen"
        if not inbox.revision:
            unchanged = "(attribute_not_exists(revision) OR revision = :seen)"
        names = update["ExpressionAttributeNames"]
        lacking = [
            f"attribute_not_exists({alias})"
            for alias, name in names.items()
            if name in (WARMUP_SCOPE_KEY, "account_id")
        ]
        change = {
            "Update": {
                "TableName": self._table,
                "Key": serialize(inbox_key(workspace_id, inbox.inbox_id)),
                "UpdateExpression": update["UpdateExpression"],
                "ConditionExpression": " AND ".join(["attribute_exists(pk)", unchanged, *lacking]),
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": serialize(values),
            }
        }
        try:
            self._db.transact([change, *effects])
        except ClientError:  # changed meanwhile: the next deployment's run meets it
            return 0
        return 1
