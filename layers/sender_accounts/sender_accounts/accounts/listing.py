"""GET /sender-accounts: a page costs what it shows, whatever the workspace's size.

Pages come from the list index of the query's filters and order (store/list_index.py); the
total from the workspace's counters; `cursor` continues a walk where the previous page ended
(signed, bound to the workspace and the query), `page` counts from the start.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from typing import Any

from sender_accounts.accounts.models import ListQuery, ListSenderAccountsResponse, SortOrder
from sender_accounts.accounts.views import summary
from sender_accounts.common.cursor import decode_cursor, encode_cursor
from sender_accounts.common.pagination import Pagination
from sender_accounts.store.inbox_lists import SEARCH_READ_BOUND, ListSpec
from sender_accounts.store.list_index import choose_index, index_attributes
from sender_accounts.store.ports import AddressSearch, InboxListing
from sender_accounts.store.records import InboxSummary


def query_fingerprint(query: ListQuery) -> str:
    """What a cursor is bound to: everything that selects and orders the inboxes."""
    selection = {
        "type": query.inbox_type.value if query.inbox_type else None,
        "status": query.status.value if query.status else None,
        "search": query.search.lower() if query.search else None,
        "health_below": query.health_below,
        "sort": query.sort_by.value,
        "order": query.sort_order.value,
    }
    return hashlib.sha256(json.dumps(selection, sort_keys=True).encode()).hexdigest()[:24]


class SenderAccountListing:
    def __init__(
        self, lists: InboxListing, search: AddressSearch, cursor_key: Callable[[], bytes]
    ) -> None:
        self._lists = lists
        self._search = search
        self._cursor_key = cursor_key

    def list(self, workspace_id: str, query: ListQuery) -> ListSenderAccountsResponse:
        inbox_type = query.inbox_type.value if query.inbox_type else None
        status = query.status.value if query.status else None
        index = choose_index(workspace_id, inbox_type, status, query.sort_by.value)
        fingerprint = query_fingerprint(query)
        position: dict[str, Any] = {}
        if query.cursor is not None:
            position = decode_cursor(self._cursor_key(), workspace_id, fingerprint, query.cursor)
        if query.search:
            items, total, after = _search_page(self._search, workspace_id, query, position)
        else:
            spec = ListSpec(
                index, forward=query.sort_order is SortOrder.ASC, health_below=query.health_below
            )
            if query.cursor is not None:
                chunk = self._lists.page(spec, query.limit, start=position.get("after"))
            else:
                chunk = self._lists.page(spec, query.limit, skip=(query.page - 1) * query.limit)
            if query.health_below is not None and (inbox_type or status):
                total = self._lists.count_matching(spec)  # bands are counted per workspace only
            elif query.health_below is not None:
                total = self._lists.count_below(workspace_id, query.health_below)
            else:
                total = self._lists.count(workspace_id, inbox_type, status)
            items, after = chunk.items, ({"after": chunk.last_key} if chunk.last_key else None)
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


def _search_page(
    search: AddressSearch, workspace_id: str, query: ListQuery, position: dict[str, Any]
) -> tuple[list[InboxSummary], int, dict[str, Any] | None]:
    """Through the address search keys: the matches (at most SEARCH_READ_BOUND), the other
    filters applied to them, in the query's order; a cursor holds the offset reached."""
    matches, _ = search.matching(workspace_id, query.search or "", SEARCH_READ_BOUND)
    wanted = [
        m for m in matches
        if (query.inbox_type is None or m.inbox_type == query.inbox_type.value)
        and (query.status is None or m.overall_status == query.status.value)
        and (query.health_below is None or m.health_score < query.health_below)
    ]  # fmt: skip
    sort_attribute = choose_index(workspace_id, None, None, query.sort_by.value).sort_attribute
    wanted.sort(
        key=lambda m: index_attributes(workspace_id, m)[sort_attribute],
        reverse=query.sort_order is SortOrder.DESC,
    )
    start = int(position.get("offset", (query.page - 1) * query.limit))
    end = start + query.limit
    return wanted[start:end], len(wanted), ({"offset": end} if end < len(wanted) else None)
