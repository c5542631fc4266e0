"""Page arithmetic and the contract's pagination block, shared by every list."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar

from sender_accounts.common.model import Model

T = TypeVar("T")


class Pagination(Model):
    page: int
    limit: int
    total: int
    pages: int
    has_next: bool
    has_prev: bool
    # Where the next page starts (lists that walk by cursor); null on the last page.
    next_cursor: str | None = None


def one_page(items: Sequence[T], page: int, limit: int) -> tuple[list[T], Pagination]:
    """Page `page` (1-based) of `items`, and the block that describes it."""
    total = len(items)
    pages = math.ceil(total / limit) if total else 0
    shown = list(items[(page - 1) * limit : page * limit])
    return shown, Pagination(
        page=page,
        limit=limit,
        total=total,
        pages=pages,
        has_next=page < pages,
        has_prev=page > 1 and total > 0,
    )
