"""How a list page is served without reading the workspace: the inbox item carries the keys of
the list indexes (GSIs, maintained by DynamoDB) and a `summary` map, the only attribute they
project besides the keys; and a counter item per workspace, changed in the same transaction as
the inbox, says how many inboxes each filter holds.

A filter scope (every inbox, one status, one type, one type in one status) and a sort order
select one index: its partition key is the scope's value, its sort key the order's value ending
with the inbox id (ties never reorder a walk). Sorting by type within one type is sorting by
creation: the creation index serves it. The email index also serves address-prefix search.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sender_accounts.store.keys import workspace_key
from sender_accounts.store.records import InboxRecord, InboxSummary

SORTS = ("email_address", "created_at", "inbox_type", "health_score")
# scope name -> the attribute holding its partition value ("pk" is the workspace's own key)
SCOPE_KEYS = {"all": "pk", "status": "lk_s", "type": "lk_t", "type_status": "lk_ts"}
SORT_KEYS = {
    "email_address": "ls_email",
    "created_at": "ls_created",
    "inbox_type": "ls_type",
    "health_score": "ls_health",
}
COUNTS_SK = "COUNTS"


@dataclass(frozen=True)
class ListIndex:
    name: str
    partition_attribute: str
    partition_value: str
    sort_attribute: str


def index_name(scope: str, sort: str) -> str:
    return f"{scope}-by-{SORT_KEYS[sort].removeprefix('ls_')}"


def choose_index(
    workspace_id: str, inbox_type: str | None, status: str | None, sort: str
) -> ListIndex:
    """The index whose partition holds exactly the filtered inboxes, in the requested order."""
    ws = workspace_key(workspace_id)
    if inbox_type and status:
        scope, value = "type_status", f"{ws}#{inbox_type}#{status}"
    elif inbox_type:
        scope, value = "type", f"{ws}#{inbox_type}"
    elif status:
        scope, value = "status", f"{ws}#{status}"
    else:
        scope, value = "all", ws
    if inbox_type and sort == "inbox_type":
        sort = "created_at"  # one type: the type order is the creation order
    return ListIndex(index_name(scope, sort), SCOPE_KEYS[scope], value, SORT_KEYS[sort])


def health_key(score: float) -> str:
    # Fixed width, so the string order is the numeric order over 0..100.
    return f"{max(0.0, min(100.0, score)):07.3f}"


def index_attributes(workspace_id: str, inbox: InboxSummary) -> dict[str, Any]:
    """What puts the inbox in every list index, and what those indexes show of it."""
    ws = workspace_key(workspace_id)
    tie = inbox.inbox_id
    return {
        "lk_s": f"{ws}#{inbox.overall_status}",
        "lk_t": f"{ws}#{inbox.inbox_type}",
        "lk_ts": f"{ws}#{inbox.inbox_type}#{inbox.overall_status}",
        "ls_email": f"{inbox.email_address.lower()}#{tie}",
        "ls_created": f"{inbox.created_at}#{tie}",
        "ls_type": f"{inbox.inbox_type}#{inbox.created_at}#{tie}",
        "ls_health": f"{health_key(inbox.health_score)}#{tie}",
        # What list pages show, and the lower-cased address search tests.
        "summary": {
            **InboxSummary.model_validate(inbox.model_dump()).item(),
            "email_lower": inbox.email_address.lower(),
        },
    }


def changed_index_attributes(
    workspace_id: str, before: InboxRecord, changes: dict[str, Any]
) -> dict[str, Any]:
    """The index attributes after `changes`, when any of them differs from before."""
    after = before.model_copy(update=changes)
    old, new = index_attributes(workspace_id, before), index_attributes(workspace_id, after)
    return {name: value for name, value in new.items() if old.get(name) != value}


# --- counters: one item per workspace, attributes per filter --------------------------------


def count_names(inbox_type: str | None, status: str | None) -> str:
    if inbox_type and status:
        return f"ts_{inbox_type}_{status}"
    if inbox_type:
        return f"t_{inbox_type}"
    if status:
        return f"s_{status}"
    return "total"


def counter_key(workspace_id: str) -> dict[str, str]:
    return {"pk": workspace_key(workspace_id), "sk": COUNTS_SK}


def count_change(table: str, workspace_id: str, deltas: dict[str, int]) -> dict[str, Any]:
    """A transaction item adding `deltas` to the workspace's counters (created at first use)."""
    from sender_accounts.store.dynamo import serialize

    names = {f"#c{i}": name for i, name in enumerate(deltas)}
    values = {f":c{i}": delta for i, delta in enumerate(deltas.values())}
    adds = ", ".join(f"#c{i} :c{i}" for i in range(len(deltas)))
    return {
        "Update": {
            "TableName": table,
            "Key": serialize(counter_key(workspace_id)),
            "UpdateExpression": f"ADD {adds}",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": serialize(values),
        }
    }


def health_band(score: float) -> str:
    """The counter of the whole-number band a score falls in: `health_below=n` sums the bands
    below n, so its total is read, not counted."""
    return f"h_{min(100, max(0, math.floor(score)))}"


def membership(inbox_type: str, status: str, health_score: float = 0) -> list[str]:
    """Every counter an inbox of this type, status and health is counted in."""
    return [
        count_names(None, None),
        count_names(inbox_type, None),
        count_names(None, status),
        count_names(inbox_type, status),
        health_band(health_score),
    ]


def inbox_counted(table: str, workspace_id: str, inbox: InboxSummary, delta: int) -> dict[str, Any]:
    counted = membership(inbox.inbox_type, inbox.overall_status, inbox.health_score)
    return count_change(table, workspace_id, dict.fromkeys(counted, delta))


def counters_moved(
    table: str, workspace_id: str, before: InboxSummary, after: InboxSummary
) -> dict[str, Any] | None:
    """The counter change of an inbox whose status or health band changed; None if neither."""
    old = membership(before.inbox_type, before.overall_status, before.health_score)
    new = membership(after.inbox_type, after.overall_status, after.health_score)
    deltas = {name: -1 for name in old if name not in new}
    deltas |= {name: 1 for name in new if name not in old}
    return count_change(table, workspace_id, deltas) if deltas else None
