"""The contract's pagination block, shared by every list."""

from __future__ import annotations

from sender_accounts.common.model import Model


class Pagination(Model):
    page: int
    limit: int
    total: int
    pages: int
    has_next: bool
    has_prev: bool
    # Where the next page starts (lists that walk by cursor); null on the last page.
    next_cursor: str | None = None
