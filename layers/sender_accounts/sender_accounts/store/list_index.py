"""How a list page is served without reading the workspace: the inbox item carries the keys of
the list indexes (GSIs, maintained by DynamoDB) and a `summary` map, the only attribute they
project besides the keys; and a counter item per workspace, changed in the same transaction as
the inbox, says how many inboxes each filter holds.

A filter scope (every inbox, one status, one type, one type in one status) and a sort order
select one index: its partition key is the scope's value, its sort key the order's value ending
with the inbox id (ties never reorder a walk). Sorting by type within one type is sorting by
creation: the creation index serves it. The email index also serves address-prefix search.

Warm-up has one index: partitioned by workspace and warm-up status, sorted by reputation. A
`warmup_status` filter reads one of its partitions; the reputation order over every status merges
the four partitions' walks. Filters an index's keys cannot answer are applied on the way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sender_accounts.common.statuses import WarmupStatus
from sender_accounts.store.keys import health_key, reputation_key, workspace_key
from sender_accounts.store.records import InboxRecord, InboxSummary, ListedInbox
from sender_accounts.store.warmup_members import warmup_status

SORTS = ("email_address", "created_at", "inbox_type", "health_score", "warmup_reputation")
# scope name -> the attribute holding its partition value ("pk" is the workspace's own key)
SCOPE_KEYS = {"all": "pk", "status": "lk_s", "type": "lk_t", "type_status": "lk_ts"}
SORT_KEYS = {
    "email_address": "ls_email",
    "created_at": "ls_created",
    "inbox_type": "ls_type",
    "health_score": "ls_health",
    "warmup_reputation": "ls_wrep",
}
WARMUP_INDEX = "warmup-by-reputation"
WARMUP_SCOPE_KEY = "lk_w"
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


def warmup_indexes(workspace_id: str, status: WarmupStatus | None) -> list[ListIndex]:
    """The warm-up index's partition of one warm-up status, or of each of them."""
    statuses = [status] if status else list(WarmupStatus)
    ws = workspace_key(workspace_id)
    sort = SORT_KEYS["warmup_reputation"]
    return [ListIndex(WARMUP_INDEX, WARMUP_SCOPE_KEY, f"{ws}#{s}", sort) for s in statuses]


def listed(inbox: InboxSummary) -> ListedInbox:
    """What a list shows of an inbox; warm-up's part derived from the full record."""
    if isinstance(inbox, ListedInbox):
        return inbox
    fields = InboxSummary.model_validate(inbox.model_dump()).model_dump()
    if isinstance(inbox, InboxRecord):
        fields |= {
            "warmup_status": warmup_status(inbox),
            "warmup_reputation": inbox.warmup_reputation,
        }
    return ListedInbox.model_validate(fields)


def sort_keys(inbox: ListedInbox) -> dict[str, str]:
    """The sort key of every order, each ending with the inbox id (ties never reorder a walk)."""
    tie = inbox.inbox_id
    return {
        "ls_email": f"{inbox.email_address.lower()}#{tie}",
        "ls_created": f"{inbox.created_at}#{tie}",
        "ls_type": f"{inbox.inbox_type}#{inbox.created_at}#{tie}",
        "ls_health": f"{health_key(inbox.health_score)}#{tie}",
        "ls_wrep": f"{reputation_key(inbox.warmup_reputation)}#{tie}",
    }


def index_attributes(workspace_id: str, inbox: InboxSummary) -> dict[str, Any]:
    """What puts the inbox in every list index, and what those indexes show of it."""
    ws = workspace_key(workspace_id)
    shown = listed(inbox)
    return {
        "lk_s": f"{ws}#{inbox.overall_status}",
        "lk_t": f"{ws}#{inbox.inbox_type}",
        "lk_ts": f"{ws}#{inbox.inbox_type}#{inbox.overall_status}",
        WARMUP_SCOPE_KEY: f"{ws}#{shown.warmup_status}",
        **sort_keys(shown),
        # What list pages show, and the lower-cased address search tests.
        "summary": {**shown.item(), "email_lower": inbox.email_address.lower()},
    }


def changed_index_attributes(
    workspace_id: str, before: InboxRecord, changes: dict[str, Any]
) -> dict[str, Any]:
    """The index attributes after `changes`, when any of them differs from before."""
    after = before.model_copy(update=changes)
    old, new = index_attributes(workspace_id, before), index_attributes(workspace_id, after)
    return {name: value for name, value in new.items() if old.get(name) != value}


# --- counters: one item per workspace, attributes per filter --------------------------------


def count_names(
    inbox_type: str | None, status: str | None, warmup: WarmupStatus | None = None
) -> str:
    if warmup:
        return f"w_{warmup}"
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


def membership(inbox: InboxSummary) -> list[str]:
    """Every counter an inbox is counted in: by type, status, health band and warm-up status."""
    shown = listed(inbox)
    return [
        count_names(None, None),
        count_names(inbox.inbox_type, None),
        count_names(None, inbox.overall_status),
        count_names(inbox.inbox_type, inbox.overall_status),
        health_band(inbox.health_score),
        count_names(None, None, shown.warmup_status),
    ]


def inbox_counted(table: str, workspace_id: str, inbox: InboxSummary, delta: int) -> dict[str, Any]:
    return count_change(table, workspace_id, dict.fromkeys(membership(inbox), delta))


def counters_moved(
    table: str, workspace_id: str, before: InboxSummary, after: InboxSummary
) -> dict[str, Any] | None:
    """The counter change of an inbox whose status, health band or warm-up status changed;
    None if none did."""
    old, new = membership(before), membership(after)
    deltas = {name: -1 for name in old if name not in new}
    deltas |= {name: 1 for name in new if name not in old}
    return count_change(table, workspace_id, deltas) if deltas else None
