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


def time_ordered_id(milliseconds: int, entropy: bytes) -> str:
    """A version 7 UUID (RFC 9562): the time first, so ids sort as they were made; `entropy`
    (at least 10 bytes) fills the rest, so the same inputs give the same id."""
    rand = int.from_bytes(entropy[:10], "big")
    value = (milliseconds & (2**48 - 1)) << 80
    value |= 0x7 << 76 | ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62 | (rand & (2**62 - 1))
    return str(uuid.UUID(int=value))
