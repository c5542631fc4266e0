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

from sender_accounts.accounts.models import ListQuery, ListSenderAccountsResponse, SortOrder
from sender_accounts.accounts.service import summary
from sender_accounts.common.cursor import decode_cursor, encode_cursor
from sender_accounts.common.pagination import Pagination
from sender_accounts.store.inbox_lists import InboxLists, ListSpec
from sender_accounts.store.list_index import choose_index


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
    def __init__(self, lists: InboxLists, cursor_key: Callable[[], bytes]) -> None:
        self._lists = lists
        self._cursor_key = cursor_key

    def list(self, workspace_id: str, query: ListQuery) -> ListSenderAccountsResponse:
        inbox_type = query.inbox_type.value if query.inbox_type else None
        status = query.status.value if query.status else None
        spec = ListSpec(
            choose_index(workspace_id, inbox_type, status, query.sort_by.value),
            forward=query.sort_order is SortOrder.ASC,
            search=query.search,
            health_below=query.health_below,
        )
        fingerprint = query_fingerprint(query)
        if query.cursor is not None:
            position = decode_cursor(self._cursor_key(), workspace_id, fingerprint, query.cursor)
            chunk = self._lists.page(spec, query.limit, start=position.get("after"))
        else:
            chunk = self._lists.page(spec, query.limit, skip=(query.page - 1) * query.limit)
        if query.search or query.health_below is not None:
            total = self._lists.count_matching(spec)
        else:
            total = self._lists.count(workspace_id, inbox_type, status)
        next_cursor = None
        if chunk.last_key is not None:
            next_cursor = encode_cursor(
                self._cursor_key(), workspace_id, fingerprint, {"after": chunk.last_key}
            )
        pages = math.ceil(total / query.limit) if total else 0
        shown = [summary(item) for item in chunk.items]
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
