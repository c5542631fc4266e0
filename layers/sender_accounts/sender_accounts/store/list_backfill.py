"""Inboxes stored before the warm-up list index existed gain its keys, their list entry's
warm-up fields and their warm-up status counter: a marked one-off scan, run once per deployment
by the warm-up planner beside the adoption of stored members (warmup_members.adopt_stored).

Each inbox is written only if it is unchanged since it was read (its revision) and still has
no warm-up list key; a write that changed it meanwhile wrote the keys itself or will be met by
the next run of the scan."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

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

BACKFILLED = (WARMUP_SCOPE_KEY, "ls_wrep", "summary")


class WarmupListBackfill:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table

    def run(self) -> int:
        """How many stored inboxes gained the warm-up list keys."""
        written = 0
        request = {
            "TableName": self._table,
            "FilterExpression": "begins_with(sk, :inbox) AND attribute_not_exists(#w)",
            "ExpressionAttributeNames": {"#w": WARMUP_SCOPE_KEY},
            "ExpressionAttributeValues": serialize({":inbox": INBOX_PREFIX}),
        }
        for item in self._db.scan_all(**request):
            workspace_id = item["pk"].removeprefix(workspace_key(""))
            inbox = InboxRecord.model_validate(item)
            written += self._backfill(workspace_id, inbox)
        return written

    def _backfill(self, workspace_id: str, inbox: InboxRecord) -> int:
        attributes = index_attributes(workspace_id, inbox)
        update = set_fields({name: attributes[name] for name in BACKFILLED})
        names = {**update["ExpressionAttributeNames"], "#w": WARMUP_SCOPE_KEY}
        values = {**update["ExpressionAttributeValues"], ":seen": inbox.revision}
        unchanged = "revision = :seen"
        if not inbox.revision:
            unchanged = "(attribute_not_exists(revision) OR revision = :seen)"
        counted = {count_names(None, None, listed(inbox).warmup_status): 1}
        try:
            self._db.transact(
                [
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": serialize(inbox_key(workspace_id, inbox.inbox_id)),
                            "UpdateExpression": update["UpdateExpression"],
                            "ConditionExpression": (
                                f"attribute_exists(pk) AND attribute_not_exists(#w) AND {unchanged}"
                            ),
                            "ExpressionAttributeNames": names,
                            "ExpressionAttributeValues": serialize(values),
                        }
                    },
                    count_change(self._table, workspace_id, counted),
                ]
            )
        except ClientError:  # changed meanwhile: the next deployment's run meets it
            return 0
        return 1
