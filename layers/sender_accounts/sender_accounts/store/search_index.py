"""Search by any part of an address without reading the workspace: a substring of an address
is a prefix of one of its suffixes, so each inbox stores its address's suffixes as keys
(`SFX#<suffix>` + separator + inbox id, in the workspace's partition), written and deleted in
the inbox's own transaction. A search is then one key-range query; its cost follows the
matches, not the workspace.

Suffixes start within the first MAX_INDEXED_SUFFIXES characters (an address is rarely longer;
a transaction holds at most 100 items).
"""

from __future__ import annotations

from typing import Any

from sender_accounts.store.dynamo import Dynamo, delete, deserialize, put, serialize
from sender_accounts.store.keys import inbox_key, workspace_key
from sender_accounts.store.records import InboxSummary, ListedInbox

SUFFIX_PREFIX = "SFX#"
SEPARATOR = "\u0001"  # search text never holds a control character (text_rules)
MAX_INDEXED_SUFFIXES = 48


def suffix_keys(workspace_id: str, inbox: InboxSummary) -> list[dict[str, str]]:
    address = inbox.email_address.lower()
    suffixes = dict.fromkeys(address[i:] for i in range(min(len(address), MAX_INDEXED_SUFFIXES)))
    return [
        {"pk": workspace_key(workspace_id), "sk": f"{SUFFIX_PREFIX}{s}{SEPARATOR}{inbox.inbox_id}"}
        for s in suffixes
    ]


def search_entries_written(
    table: str, workspace_id: str, inbox: InboxSummary
) -> list[dict[str, Any]]:
    return [put(table, key) for key in suffix_keys(workspace_id, inbox)]


def search_entries_deleted(
    table: str, workspace_id: str, inbox: InboxSummary
) -> list[dict[str, Any]]:
    return [delete(table, key) for key in suffix_keys(workspace_id, inbox)]


class InboxSearch:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table_name

    def matching(self, workspace_id: str, text: str, bound: int) -> tuple[list[ListedInbox], int]:
        """The inboxes whose address contains `text` (at most `bound` of them), and how many
        items were read."""
        ids: dict[str, None] = {}
        read = 0
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ProjectionExpression": "sk",
            "ExpressionAttributeValues": serialize(
                {":pk": workspace_key(workspace_id), ":prefix": SUFFIX_PREFIX + text.lower()}
            ),
        }
        while len(ids) < bound:
            request["Limit"] = min(1000, bound - len(ids) + 10)
            response = self._db.call("query", **request)
            for item in response.get("Items", []):
                ids[deserialize(item)["sk"].rsplit(SEPARATOR, 1)[1]] = None
            read += len(response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                break
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        summaries = self._summaries(workspace_id, list(ids)[:bound])
        return summaries, read + len(summaries)

    def _summaries(self, workspace_id: str, inbox_ids: list[str]) -> list[ListedInbox]:
        keys = [inbox_key(workspace_id, i) for i in inbox_ids]
        items = self._db.batch_get(self._table, keys, ("summary",))
        return [ListedInbox.model_validate(item["summary"]) for item in items]
