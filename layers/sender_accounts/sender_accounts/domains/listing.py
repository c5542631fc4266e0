"""GET /domains: a page costs what it shows, whatever the workspace's size.

Pages come from the workspace's domain index, newest first (store/domain_lists.py); the total
from the workspace's domain counter (lapsed registrations removed first); `cursor` continues a
walk where the previous page ended (signed, bound to the workspace), `page` counts from the
start. The domains shown are refreshed from SES as a single read shows them.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from sender_accounts.common.cursor import decode_cursor, encode_cursor
from sender_accounts.common.pagination import Pagination
from sender_accounts.domains.models import DomainListResponse
from sender_accounts.domains.service import DomainService, domain_response
from sender_accounts.store.domain_lists import DomainLists

# What a domain cursor is bound to besides the workspace: the list (it has one order).
CURSOR_QUERY = "domains-newest-first"


class DomainListing:
    def __init__(
        self, lists: DomainLists, domains: DomainService, cursor_key: Callable[[], bytes]
    ) -> None:
        self._lists = lists
        self._domains = domains
        self._cursor_key = cursor_key

    def list(
        self, workspace_id: str, page: int, limit: int, cursor: str | None = None
    ) -> DomainListResponse:
        if cursor is not None:
            position = decode_cursor(self._cursor_key(), workspace_id, CURSOR_QUERY, cursor)
            chunk = self._lists.page(workspace_id, limit, start=position.get("after"))
        else:
            chunk = self._lists.page(workspace_id, limit, skip=(page - 1) * limit)
        total = self._lists.count(workspace_id)
        shown = self._domains.refresh(chunk.items, workspace_id)
        next_cursor = None
        if chunk.last_key is not None:
            after = {"after": chunk.last_key}
            next_cursor = encode_cursor(self._cursor_key(), workspace_id, CURSOR_QUERY, after)
        return DomainListResponse(
            message=f"Retrieved {len(shown)} domains",
            domains=[domain_response(item) for item in shown],
            pagination=Pagination(
                page=page,
                limit=limit,
                total=total,
                pages=math.ceil(total / limit) if total else 0,
                has_next=next_cursor is not None,
                has_prev=page > 1 or cursor is not None,
                next_cursor=next_cursor,
            ),
        )
