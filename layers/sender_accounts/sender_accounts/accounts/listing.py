"""GET /sender-accounts: a page costs what it shows, whatever the workspace's size.

Pages come from the list index of the query's filters and order (store/list_index.py), or the
merged partitions of the warm-up index for the reputation order; the total from the workspace's
counters; `cursor` continues a walk where the previous page ended
(signed, bound to the workspace and the query), `page` counts from the start.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from typing import Any

from sender_accounts.accounts.models import (
    ListQuery,
    ListSenderAccountsResponse,
    SortField,
    SortOrder,
)
from sender_accounts.accounts.views import summary
from sender_accounts.common.cursor import decode_cursor, encode_cursor
from sender_accounts.common.pagination import Pagination
from sender_accounts.store.inbox_lists import SEARCH_READ_BOUND, ListSpec
from sender_accounts.store.list_index import SORT_KEYS, choose_index, sort_keys, warmup_indexes
from sender_accounts.store.ports import AddressSearch, InboxListing
from sender_accounts.store.records import ListedInbox


def query_fingerprint(query: ListQuery) -> str:
    """What a cursor is bound to: everything that selects and orders the inboxes."""
    selection = {
        "type": query.inbox_type.value if query.inbox_type else None,
        "status": query.status.value if query.status else None,
        "search": query.search.lower() if query.search else None,
        "health_below": query.health_below,
        "warmup_status": query.warmup_status.value if query.warmup_status else None,
        "sort": query.sort_by.value,
        "order": query.sort_order.value,
    }
    return hashlib.sha256(json.dumps(selection, sort_keys=True).encode()).hexdigest()[:24]


def list_specs(workspace_id: str, query: ListQuery) -> list[ListSpec]:
    """The index partitions that serve the query (several: their walks are merged), with
    the filters their keys do not answer."""
    inbox_type = query.inbox_type.value if query.inbox_type else None
    status = query.status.value if query.status else None
    forward = query.sort_order is SortOrder.ASC
    if query.sort_by is SortField.WARMUP_REPUTATION:
        equal = (("inbox_type", inbox_type), ("overall_status", status))
        kept = tuple((field, value) for field, value in equal if value)
        return [
            ListSpec(index, forward, query.health_below, kept)
            for index in warmup_indexes(workspace_id, query.warmup_status)
        ]
    index = choose_index(workspace_id, inbox_type, status, query.sort_by.value)
    warmup = (("warmup_status", query.warmup_status.value),) if query.warmup_status else ()
    return [ListSpec(index, forward, query.health_below, warmup)]


class SenderAccountListing:
    def __init__(
        self, lists: InboxListing, search: AddressSearch, cursor_key: Callable[[], bytes]
    ) -> None:
        self._lists = lists
        self._search = search
        self._cursor_key = cursor_key

    def list(self, workspace_id: str, query: ListQuery) -> ListSenderAccountsResponse:
        fingerprint = query_fingerprint(query)
        position: dict[str, Any] = {}
        if query.cursor is not None:
            position = decode_cursor(self._cursor_key(), workspace_id, fingerprint, query.cursor)
        if query.search:
            items, total, after = _search_page(self._search, workspace_id, query, position)
        else:
            items, total, after = _index_page(self._lists, workspace_id, query, position)
        next_cursor = None
        if after is not None:
            next_cursor = encode_cursor(self._cursor_key(), workspace_id, fingerprint, after)
        pages = math.ceil(total / query.limit) if total else 0
        shown = [summary(item) for item in items]
        return ListSenderAccountsResponse(
            message=f"Retrieved {len(shown)} sender accounts",
            sender_accounts=shown,
            pagination=Pagination(
                page=query.page,
                limit=query.limit,
                total=total,
                pages=pages,
                has_next=next_cursor is not None,
                has_prev=query.page > 1 or query.cursor is not None,
                next_cursor=next_cursor,
            ),
        )


def _index_page(
    lists: InboxListing, workspace_id: str, query: ListQuery, position: dict[str, Any]
) -> tuple[list[ListedInbox], int, dict[str, Any] | None]:
    specs = list_specs(workspace_id, query)
    skip = 0 if query.cursor is not None else (query.page - 1) * query.limit
    if len(specs) > 1:
        chunk = lists.merged_page(specs, query.limit, position.get("beyond"), skip)
        after = chunk.last_key
    else:
        chunk = lists.page(specs[0], query.limit, position.get("after"), skip)
        after = {"after": chunk.last_key} if chunk.last_key else None
    return chunk.items, _total(lists, workspace_id, query, specs), after


def _total(lists: InboxListing, workspace_id: str, query: ListQuery, specs: list[ListSpec]) -> int:
    """From the counters where one holds the filters' total; else counted within the read
    bound (health bands and warm-up statuses are counted per workspace only)."""
    inbox_type = query.inbox_type.value if query.inbox_type else None
    status = query.status.value if query.status else None
    if query.health_below is not None and (inbox_type or status or query.warmup_status):
        return lists.count_matching(specs)
    if query.warmup_status and (inbox_type or status):
        return lists.count_matching(specs)
    if query.health_below is not None:
        return lists.count_below(workspace_id, query.health_below)
    return lists.count(workspace_id, inbox_type, status, query.warmup_status)


def _search_page(
    search: AddressSearch, workspace_id: str, query: ListQuery, position: dict[str, Any]
) -> tuple[list[ListedInbox], int, dict[str, Any] | None]:
    """Through the address search keys: the matches (at most SEARCH_READ_BOUND), the other
    filters applied to them, in the query's order; a cursor holds the offset reached."""
    matches, _ = search.matching(workspace_id, query.search or "", SEARCH_READ_BOUND)
    wanted = [
        m for m in matches
        if (query.inbox_type is None or m.inbox_type == query.inbox_type.value)
        and (query.status is None or m.overall_status == query.status.value)
        and (query.health_below is None or m.health_score < query.health_below)
        and (query.warmup_status is None or m.warmup_status == query.warmup_status)
    ]  # fmt: skip
    sort_attribute = SORT_KEYS[query.sort_by.value]
    wanted.sort(
        key=lambda m: sort_keys(m)[sort_attribute],
        reverse=query.sort_order is SortOrder.DESC,
    )
    start = int(position.get("offset", (query.page - 1) * query.limit))
    end = start + query.limit
    return wanted[start:end], len(wanted), ({"offset": end} if end < len(wanted) else None)
