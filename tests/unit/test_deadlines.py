"""The deadline helper holds against a step that refuses to end, and never swallows the
caller's own cancellation."""

from __future__ import annotations

import asyncio
import time

import pytest

from sender_accounts.mail.deadlines import ABANDON_GRACE_SECONDS, within


async def stubborn(release: asyncio.Event) -> str:
    """Ignores cancellation until released, as a re-acquired lock behind a hung command does."""
    while True:
        try:
            await release.wait()
            return "late"
        except asyncio.CancelledError:
            continue


def test_a_step_that_ignores_cancellation_is_abandoned_at_the_deadline() -> None:
    async def scenario() -> float:
        release = asyncio.Event()
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await within(0.2, stubborn(release))
        elapsed = time.monotonic() - started
        release.set()  # lets the abandoned step end before the loop closes
        await asyncio.sleep(0)
        return elapsed

    assert asyncio.run(scenario()) < 0.2 + ABANDON_GRACE_SECONDS + 0.3


def test_the_callers_cancellation_goes_on_and_reaches_the_step() -> None:
    async def scenario() -> tuple[bool, bool]:
        step_cancelled = asyncio.Event()

        async def step() -> None:
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                step_cancelled.set()
                raise

        caller = asyncio.create_task(within(30, step()))
        await asyncio.sleep(0.05)
        caller.cancel()
        try:
            await caller
            swallowed = True
        except asyncio.CancelledError:
            swallowed = False
        await asyncio.sleep(0)
        return swallowed, step_cancelled.is_set()

    swallowed, reached = asyncio.run(scenario())
    assert not swallowed
    assert reached


def test_a_result_in_time_is_returned() -> None:
    async def quick() -> int:
        await asyncio.sleep(0.01)
        return 7

    assert asyncio.run(within(1, quick())) == 7
