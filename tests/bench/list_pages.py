"""List pages at 100 and at 10,000 inboxes, through the local runtime over HTTP: median latency
and DynamoDB items read per page (counted on the listing function's own client)."""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from local_stack.emulation import Emulation
    from local_stack.runtime import LocalRuntime

TYPES = ("GOOGLE_WORKSPACE", "OUTLOOK_365", "CUSTOM_SMTP")
ROUNDS = 21


@dataclass(frozen=True)
class PageCost:
    seconds: float  # median
    items_read: int


def seed(emulation: Emulation, workspace_id: str, count: int) -> None:
    """`count` inboxes written as the product's store writes them (the same items, index
    attributes and search keys), put straight into the emulation's table to keep the seeding
    short (it is not what is measured), and the counters set to match."""
    from sender_accounts.adapters.aws_clients import client
    from sender_accounts.common.statuses import InboxStatus, InboxType
    from sender_accounts.composition import env
    from sender_accounts.store.inboxes import inbox_creation
    from sender_accounts.store.list_index import count_change, membership
    from sender_accounts.store.records import InboxRecord

    table, db = env("TABLE_NAME"), client("dynamodb")
    counts: dict[str, int] = {}
    puts: list[dict[str, Any]] = []
    for index in range(count):
        address = f"sender{index:05d}@{'alpha' if index % 2 else 'beta'}{index % 7}.test"
        inbox = InboxRecord(
            inbox_id=str(uuid.uuid4()),
            email_address=address,
            email_lower=address,
            display_name=f"Sender {index}",
            inbox_type=InboxType(TYPES[index % 3]),
            overall_status=InboxStatus.PAUSED if index % 5 == 0 else InboxStatus.ACTIVE,
            daily_limit=50,
            health_score=float((index * 37) % 101),
            created_at=f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}T00:00:{index % 60:02d}Z",
            updated_at="2026-01-01T00:00:00Z",
        )
        for item in inbox_creation(table, workspace_id, inbox):
            if "Put" in item:
                puts.append(item["Put"]["Item"])
        for name in membership(inbox):
            counts[name] = counts.get(name, 0) + 1
    emulation.call("put_items", table, puts)
    update = count_change(table, workspace_id, counts)["Update"]
    db.update_item(**update)


def seed_domains(emulation: Emulation, workspace_id: str, count: int) -> None:
    """`count` proven domains, as the domain store writes them (item, index keys, counter).
    Seeded FAILED, with no SES identity: a page's status refresh then asks SES about its own
    domains and changes nothing (the emulated SES would scan every identity it holds)."""
    from sender_accounts.adapters.aws_clients import client
    from sender_accounts.common.statuses import DomainStatus
    from sender_accounts.composition import env
    from sender_accounts.store.domain_lists import DOMAIN_COUNTER, domain_index_attributes
    from sender_accounts.store.dynamo import serialize
    from sender_accounts.store.keys import domain_key
    from sender_accounts.store.list_index import count_change
    from sender_accounts.store.records import DomainRecord

    table = env("TABLE_NAME")
    items = []
    for index in range(count):
        created = f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}T00:{index % 60:02d}:00Z"
        domain = DomainRecord(
            domain_id=str(uuid.uuid4()),
            domain=f"d{index:05d}.bench.test",
            status=DomainStatus.FAILED,
            ownership_token="t",
            created_at=created,
            updated_at=created,
        )
        item = {
            **domain_key(workspace_id, domain.domain_id),
            **domain.item(),
            **domain_index_attributes(workspace_id, domain.domain_id, created),
        }
        items.append(serialize(item))
    emulation.call("put_items", table, items)
    update = count_change(table, workspace_id, {DOMAIN_COUNTER: count})["Update"]
    client("dynamodb").update_item(**update)


class ReadCounter:
    """DynamoDB items the listing functions read: each query's ScannedCount, each GetItem, each
    item a BatchGetItem returns."""

    def __init__(self) -> None:
        self.items = 0
        from sender_accounts.adapters.aws_clients import client

        events = client("dynamodb").meta.events
        events.register("after-call.dynamodb.Query", self._query)
        events.register("after-call.dynamodb.GetItem", self._get)
        events.register("after-call.dynamodb.BatchGetItem", self._batch)

    def _query(self, parsed: dict[str, Any], **_: Any) -> None:
        self.items += int(parsed.get("ScannedCount", 0))

    def _get(self, parsed: dict[str, Any], **_: Any) -> None:
        self.items += 1 if "Item" in parsed else 0

    def _batch(self, parsed: dict[str, Any], **_: Any) -> None:
        self.items += sum(len(found) for found in parsed.get("Responses", {}).values())


@dataclass(frozen=True)
class PairCost:
    small: PageCost
    large: PageCost
    ratio: float  # the median of each round's large / small, measured back to back


def _timed(call: Callable[[], requests.Response], counter: ReadCounter) -> tuple[float, int]:
    before = counter.items
    start = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.text
    return elapsed, counter.items - before


def _measure_pair(
    small: Callable[[], requests.Response],
    large: Callable[[], requests.Response],
    counter: ReadCounter,
) -> PairCost:
    """Each round runs the page on both workspaces back to back, so a slow spell of a shared
    machine slows both, and their ratio stays."""
    times: dict[str, list[float]] = {"small": [], "large": []}
    ratios, items = [], {"small": 0, "large": 0}
    for _ in range(ROUNDS):
        small_time, items["small"] = _timed(small, counter)
        large_time, items["large"] = _timed(large, counter)
        times["small"].append(small_time)
        times["large"].append(large_time)
        ratios.append(large_time / small_time)
    return PairCost(
        PageCost(statistics.median(times["small"]), items["small"]),
        PageCost(statistics.median(times["large"]), items["large"]),
        statistics.median(ratios),
    )


def print_list_table(
    runtime: LocalRuntime, base: str, row: Callable[[str, str], None]
) -> dict[str, float]:
    """Both workspaces, every page: latency, items read, and the ratio 10,000 / 100."""
    from sender_accounts.access.api_keys import issue_key
    from sender_accounts.composition import access_store

    counter = ReadCounter()
    pages: dict[int, dict[str, Callable[[], requests.Response]]] = {}
    for size in (100, 10_000):
        workspace_id, key = issue_key(access_store.get(), f"list-{size}", prefix="cs_test_")
        started = time.perf_counter()
        seed(runtime.emulation, workspace_id, size)
        seed_domains(runtime.emulation, workspace_id, size)
        row(f"seeded {size} inboxes and {size} domains (s)", f"{time.perf_counter() - started:.1f}")
        pages[size] = {**page_calls(base, key), **domain_page_calls(base, key)}
    worst = 0.0
    print(f"| {'list page':<40} | {'100: ms, items':>16} | {'10,000: ms, items':>18} | ratio |")
    for name, small_call in pages[100].items():
        cost = _measure_pair(small_call, pages[10_000][name], counter)
        worst = max(worst, cost.ratio)
        print(
            f"| {name:<40} | {cost.small.seconds * 1000:7.1f} {cost.small.items_read:>7} "
            f"| {cost.large.seconds * 1000:8.1f} {cost.large.items_read:>8} | {cost.ratio:4.2f}x |",
            flush=True,
        )
    row("worst page ratio 10,000 / 100 (goal <= 1.3)", f"{worst:.2f}x")
    row("old design: items read per page at 100 / 10,000", "100 / 10000")
    row("old design of GET /domains: items read per page", "100 / 10000")
    return {"list_worst_ratio": worst}


def page_calls(base: str, key: str) -> dict[str, Callable[[], requests.Response]]:
    headers = {"X-API-Key": key}

    def get(**query: Any) -> Callable[[], requests.Response]:
        return lambda: requests.get(
            f"{base}/sender-accounts", params=query, headers=headers, timeout=60
        )

    cursor = None
    for _ in range(49):  # the walk to page 50, by cursor
        body = get(limit=2, **({"cursor": cursor} if cursor else {}))().json()
        cursor = body["pagination"]["next_cursor"]
    calls = {
        "first page (20, newest first)": get(limit=20),
        "page 50 by offset (2 per page)": get(limit=2, page=50),
        "page 50 by cursor (2 per page)": get(limit=2, cursor=cursor),
    }
    for sort in ("email_address", "created_at", "inbox_type", "health_score"):
        calls[f"first page by {sort} asc"] = get(limit=20, sort_by=sort, sort_order="asc")
    calls["filtered: ACTIVE CUSTOM_SMTP"] = get(limit=20, status="ACTIVE", inbox_type="CUSTOM_SMTP")
    calls["health_below=30, by health"] = get(limit=20, health_below=30, sort_by="health_score")
    calls["search 'sender0000'"] = get(limit=20, search="sender0000")
    return calls


def domain_page_calls(base: str, key: str) -> dict[str, Callable[[], requests.Response]]:
    headers = {"X-API-Key": key}

    def get(**query: Any) -> Callable[[], requests.Response]:
        return lambda: requests.get(f"{base}/domains", params=query, headers=headers, timeout=60)

    cursor = None
    for _ in range(49):
        body = get(limit=2, **({"cursor": cursor} if cursor else {}))().json()
        cursor = body["pagination"]["next_cursor"]
    return {
        "domains: first page (20)": get(limit=20),
        "domains: page 50 by offset (2 per page)": get(limit=2, page=50),
        "domains: page 50 by cursor (2 per page)": get(limit=2, cursor=cursor),
    }


def main() -> int:
    """`python -m tests.bench.list_pages`: the list table alone (make bench prints it too)."""
    import sys

    from local_stack.functions import ensure_layer_on_path
    from local_stack.runtime import start_local_runtime

    ensure_layer_on_path()
    from tests.bench.bulk_parallelism import local_http_api

    runtime = start_local_runtime()
    base, http = local_http_api(runtime)
    try:
        print_list_table(runtime, base, lambda name, value: print(f"| {name:<52} | {value:>16} |"))
    finally:
        http.shutdown()
        runtime.stop()
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
