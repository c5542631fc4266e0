"""Ids the API hands out are UUIDs: anything else names nothing, and says so."""

from __future__ import annotations

import uuid

from sender_accounts.errors import NotFound


def known_form(value: str, what: str) -> str:
    """`value` when it is a UUID; otherwise a 404 whose detail says the id is malformed."""
    try:
        uuid.UUID(value)
    except ValueError:
        raise NotFound(
            what, f"{what} not found: the id is malformed (a UUID is expected)"
        ) from None
    return value
