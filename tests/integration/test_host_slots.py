"""Connection slots against the stack's own table: work that needs several takes them all or
none in one transaction, never more than a service's bound, and gives them all back."""

from __future__ import annotations

import os
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from local_stack.runtime import LocalRuntime
from sender_accounts.adapters.aws_clients import client
from sender_accounts.store.host_slots import HostBusy, HostSlots


def _slots(per_service: int, kind: str = "") -> HostSlots:
    kind = kind or f"testslot{uuid.uuid4().hex[:8]}"  # a bound of this test's own
    table = os.environ["REQUEST_CONTROL_TABLE_NAME"]
    return HostSlots(client("dynamodb"), table, per_service, kind)


def _held(slots: HostSlots) -> Counter[str]:
    items = client("dynamodb").scan(TableName=os.environ["REQUEST_CONTROL_TABLE_NAME"])["Items"]
    kind = slots._kind + "#"
    return Counter(i["id"]["S"].rsplit("#", 1)[0] for i in items if i["id"]["S"].startswith(kind))


def test_several_slots_are_taken_all_or_none_and_given_back(runtime: LocalRuntime) -> None:
    slots = _slots(2)
    smtp, imap = "192.0.2.1:587", "192.0.2.1:993"
    first = slots.acquire([smtp, imap], 1)
    second = slots.acquire([smtp, imap], 1)
    assert len(first.leases) == len(second.leases) == 2
    assert set(_held(slots).values()) == {2}
    # Both services full: a third is refused and holds nothing, not even on a free service
    with pytest.raises(HostBusy):
        slots.acquire([smtp, "192.0.2.2:993"], 0.2)
    assert sum(_held(slots).values()) == 4
    slots.release(first)
    slots.release(second)
    assert sum(_held(slots).values()) == 0


def test_concurrent_work_never_holds_more_than_the_bound(runtime: LocalRuntime) -> None:
    slots = _slots(3)
    services = ["198.51.100.7:587", "198.51.100.7:993"]
    peaks: list[int] = []

    def work(_: int) -> None:
        # Its own instance, as another function's: only the table keeps the bound
        mine = _slots(3, slots._kind)
        holding = mine.acquire(services, 30)
        try:
            peaks.append(max(_held(slots).values()))
        finally:
            mine.release(holding)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(16)))
    assert len(peaks) == 16
    assert max(peaks) <= 3
    assert sum(_held(slots).values()) == 0
