"""GET /domains at scale: pages from the workspace's domain index (newest first, by offset or
by a signed cursor), totals from the proven-domain counter plus the pending registrations that
have not expired, exact after concurrent registrations, proofs and deletions."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.support.dns_server import Zone
from tests.support.stack import ApiClient


def _register(client: ApiClient, name: str | None = None) -> dict[str, Any]:
    name = name or f"d-{os.urandom(5).hex()}.example.test"
    response = client.call("POST", "/domains", {"domain": name})
    assert response.status == 201, response.body
    return dict(response.json())


def _list(client: ApiClient, **query: Any) -> dict[str, Any]:
    response = client.call("GET", "/domains", query=query)
    assert response.status == 200, response.body
    return dict(response.json())


def _walk(client: ApiClient, limit: int, during: Callable[[int], None] | None = None) -> list[str]:
    seen: list[str] = []
    cursor: str | None = None
    for step in range(1000):
        query: dict[str, Any] = {"limit": limit}
        if cursor:
            query["cursor"] = cursor
        answer = _list(client, **query)
        seen += [d["domain_id"] for d in answer["domains"]]
        cursor = answer["pagination"]["next_cursor"]
        assert answer["pagination"]["has_next"] is (cursor is not None)
        if cursor is None:
            return seen
        if during:
            during(step)
    raise AssertionError("the walk never ended")


def _newest_first(domains: list[dict[str, Any]]) -> list[str]:
    ordered = sorted(domains, key=lambda d: (d["created_at"], d["domain_id"]), reverse=True)
    return [d["domain_id"] for d in ordered]


def test_offset_and_cursor_pages_agree_with_a_brute_force_sort(
    workspace: Callable[..., ApiClient],
) -> None:
    client = workspace()
    with ThreadPoolExecutor(4) as pool:
        made = list(pool.map(lambda _: _register(client), range(23)))
    expected = _newest_first(made)
    by_offset: list[str] = []
    for page in (1, 2, 3):
        answer = _list(client, page=page, limit=10)
        assert (answer["pagination"]["total"], answer["pagination"]["pages"]) == (23, 3)
        assert answer["pagination"]["has_next"] is (page < 3)
        by_offset += [d["domain_id"] for d in answer["domains"]]
    assert by_offset == expected
    assert _walk(client, 7) == expected
    assert _list(client, page=4, limit=10)["domains"] == []


def test_a_cursor_walk_sees_each_domain_once_while_others_come_and_go(
    workspace: Callable[..., ApiClient],
) -> None:
    client = workspace()
    throughout = [_register(client)["domain_id"] for _ in range(12)]
    doomed = [_register(client)["domain_id"] for _ in range(4)]
    added: list[str] = []

    def churn(step: int) -> None:
        added.append(_register(client)["domain_id"])
        if doomed:
            assert client.call("DELETE", f"/domains/{doomed.pop()}").status == 200

    seen = _walk(client, 3, churn)
    assert len(seen) == len(set(seen)), "a domain appeared twice"
    assert set(throughout) <= set(seen), "a domain present throughout was missed"
    assert _list(client)["pagination"]["total"] == 12 + len(added)


def test_lapsed_registrations_leave_pages_and_totals_and_proofs_count_once(
    zone: Zone, workspace: Callable[..., ApiClient]
) -> None:
    from sender_accounts.adapters.aws_clients import client as aws
    from sender_accounts.store.dynamo import serialize
    from sender_accounts.store.keys import domain_key
    from sender_accounts.store.list_index import counter_key

    client = workspace()
    pending = [_register(client) for _ in range(6)]
    assert _list(client)["pagination"]["total"] == 6
    # One registration's time is up: lists leave it out and remove it
    lapsed = pending.pop()
    aws("dynamodb").update_item(
        TableName=os.environ["TABLE_NAME"],
        Key=serialize(domain_key(client.workspace_id, lapsed["domain_id"])),
        UpdateExpression="SET pending_until = :past",
        ExpressionAttributeValues=serialize({":past": int(time.time()) - 1}),
    )
    answer = _list(client, limit=2)
    assert answer["pagination"]["total"] == 5
    assert lapsed["domain_id"] not in _walk(client, 2)
    # Every token published, then four lists at once prove them: each counted once
    for domain in pending:
        record = next(r for r in domain["dns_records"] if r["purpose"] == "OWNERSHIP")
        zone.publish(record["name"], record["value"])
    with ThreadPoolExecutor(4) as pool:
        totals = list(pool.map(lambda _: _list(client)["pagination"]["total"], range(4)))
    assert totals == [5, 5, 5, 5]
    statuses = {d["status"] for d in _list(client)["domains"]}
    assert "PENDING" not in statuses
    counters = aws("dynamodb").get_item(
        TableName=os.environ["TABLE_NAME"], Key=serialize(counter_key(client.workspace_id))
    )["Item"]
    assert counters["domains"] == {"N": "5"}
    # Deleting in parallel moves the counter exactly
    with ThreadPoolExecutor(5) as pool:
        deleted = list(
            pool.map(
                lambda d: client.call("DELETE", f"/domains/{d['domain_id']}").status, pending[:3]
            )
        )
    assert deleted == [200, 200, 200]
    assert _list(client)["pagination"]["total"] == 2


def test_a_cursor_from_elsewhere_is_invalid_cursor(workspace: Callable[..., ApiClient]) -> None:
    mine, theirs = workspace(), workspace()
    for client in (mine, theirs):
        for _ in range(3):
            _register(client)
    cursor = _list(theirs, limit=1)["pagination"]["next_cursor"]
    assert cursor
    for bad in (cursor, cursor[:-2] + "AA", "not-a-cursor", "x.y"):
        response = mine.call("GET", "/domains", query={"cursor": bad})
        assert response.status == 400, response.body
        assert response.json()["error_code"] == "INVALID_CURSOR"
    # A domain cursor is no inbox cursor either, even in its own workspace
    inboxes = theirs.call("GET", "/sender-accounts", query={"cursor": cursor})
    assert inboxes.json()["error_code"] == "INVALID_CURSOR"
