"""Page arithmetic and the contract's pagination block, shared by every list."""

from __future__ import annotations

from pydantic import BaseModel


class Pagination(BaseModel):
    page: int
    limit: int
    total: int
    pages: int
    has_next: bool
    has_prev: bool
