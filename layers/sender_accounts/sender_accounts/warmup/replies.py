"""Which received warm-up emails an inbox answers: exactly `reply_rate_percentage` of them to
within one message over any run, not merely in expectation. The n-th message received (counted
per inbox, from 0) is answered when it raises floor(received * rate / 100), so after n
messages exactly floor(n * rate / 100) have been answered. A reply itself is never answered."""

from __future__ import annotations


def answers(received_before: int, rate_percent: int) -> bool:
    """Whether the message that arrives after `received_before` others is answered."""
    return (received_before + 1) * rate_percent // 100 > received_before * rate_percent // 100


DEFAULT_REPLY_RATE = 20  # percent, when the inbox's settings name none
