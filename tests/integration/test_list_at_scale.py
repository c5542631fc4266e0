"""Lists served by the list indexes: cursor walks that survive concurrent writes, cursors
nobody can forge, counters that stay exact under races, and pages that agree with a brute-force
sort of the same data."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.support.stack import ApiClient

TYPES = ("GOOGLE_WORKSPACE", "OUTLOOK_365", "CUSTOM_SMTP")


def _inbox(index: int, **overrides: Any) -> dict[str, Any]:
    address = f"walker{index:03d}-{uuid.uuid4().hex[:4]}@{'alpha' if index % 2 else 'beta'}.test"
    return {
        "inbox_id": str(uuid.uuid4()),
        "email_address": address,
        "email_lower": address,
        "display_name": f"Walker {index}",
        "inbox_type": TYPES[index % 3],
        "overall_status": "PAUSED" if index % 4 == 0 else "ACTIVE",
        "daily_limit": 20,
        "health_score": float((index * 13) % 17),  # many ties: the id must break them
        "created_at": f"2026-02-{1 + index % 5:02d}T00:00:00Z",  # ties here too
        "updated_at": "2026-02-01T00:00:00Z",
        **overrides,
    }


def _store(client: ApiClient, inbox: dict[str, Any]) -> None:
    from sender_accounts.composition import repository
    from sender_accounts.store.records import InboxRecord

    repository.get().create_inbox(client.workspace_id, InboxRecord.model_validate(inbox))


def _remove(client: ApiClient, inbox_id: str) -> None:
    from sender_accounts.composition import repository

    repository.get().delete_inbox(client.workspace_id, inbox_id)


def _sort_key(sort_by: str) -> Callable[[dict[str, Any]], Any]:
    if sort_by == "email_address":
        return lambda i: (i["email_address"].lower(), i["inbox_id"])
    if sort_by == "inbox_type":
        return lambda i: (i["inbox_type"], i["created_at"], i["inbox_id"])
    if sort_by == "health_score":
        return lambda i: (i["health_score"], i["inbox_id"])
    return lambda i: (i["created_at"], i["inbox_id"])


def _walk(
    client: ApiClient, query: dict[str, Any], between: Callable[[int], None] | None = None
) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    cursor = None
    for page in range(200):
        params = {**query, **({"cursor": cursor} if cursor else {})}
        body = client.call("GET", "/sender-accounts", query=params).json()
        seen += body["sender_accounts"]
        cursor = body["pagination"]["next_cursor"]
        if cursor is None:
            return seen
        if between:
            between(page)
    raise AssertionError("the walk never ended")


@pytest.mark.parametrize("sort_by", ["email_address", "created_at", "inbox_type"])
@pytest.mark.parametrize("sort_order", ["asc", "desc"])
def test_a_cursor_walk_sees_each_inbox_once_in_order_while_others_come_and_go(
    workspace: Callable[..., ApiClient], sort_by: str, sort_order: str
) -> None:
    # Given 40 inboxes
    client = workspace()
    initial = [_inbox(i) for i in range(40)]
    for inbox in initial:
        _store(client, inbox)
    chooser = random.Random(7)  # noqa: S311 - a repeatable choice, not a secret
    removed: set[str] = set()

    def churn(page: int) -> None:  # between pages: two created, one of the first 40 deleted
        for extra in range(2):
            _store(client, _inbox(100 + page * 2 + extra))
        victim = chooser.choice([i for i in initial if i["inbox_id"] not in removed])
        _remove(client, victim["inbox_id"])
        removed.add(victim["inbox_id"])

    # When they are walked 6 at a time while inboxes are created and deleted
    seen = _walk(client, {"limit": 6, "sort_by": sort_by, "sort_order": sort_order}, churn)
    # Then none shows twice, every inbox that stayed throughout shows, and the order holds
    ids = [i["inbox_id"] for i in seen]
    assert len(ids) == len(set(ids))
    stayed = {i["inbox_id"] for i in initial} - removed
    assert stayed <= set(ids)
    key = _sort_key(sort_by)
    keys = [key(i) for i in seen]
    assert keys == sorted(keys, reverse=sort_order == "desc")


def test_a_walk_filtered_by_status_sees_nothing_twice_while_statuses_change(
    workspace: Callable[..., ApiClient],
) -> None:
    client = workspace()
    initial = [_inbox(i, overall_status="ACTIVE") for i in range(30)]
    for inbox in initial:
        _store(client, inbox)

    def flip(page: int) -> None:  # pause and resume inboxes already seen and not yet seen
        for inbox in (initial[page], initial[-1 - page]):
            for status in ("PAUSED", "ACTIVE"):
                response = client.call(
                    "PATCH", f"/sender-accounts/{inbox['inbox_id']}", {"status": status}
                )
                assert response.status == 200, response.body

    seen = _walk(client, {"limit": 5, "status": "ACTIVE", "sort_by": "health_score"}, flip)
    ids = [i["inbox_id"] for i in seen]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("sort_by", ["email_address", "created_at", "inbox_type", "health_score"])
def test_offset_and_cursor_pages_agree_with_a_brute_force_sort(
    workspace: Callable[..., ApiClient], sort_by: str
) -> None:
    client = workspace()
    stored = [_inbox(i) for i in range(23)]
    for inbox in stored:
        _store(client, inbox)
    for order in ("asc", "desc"):
        for filters in ({}, {"status": "ACTIVE"}, {"inbox_type": "OUTLOOK_365"}):
            wanted = [
                i for i in stored
                if all(i["overall_status" if k == "status" else k] == v for k, v in filters.items())
            ]  # fmt: skip
            expected = [
                i["inbox_id"]
                for i in sorted(wanted, key=_sort_key(sort_by), reverse=order == "desc")
            ]
            query = {"limit": 4, "sort_by": sort_by, "sort_order": order, **filters}
            by_cursor = [i["inbox_id"] for i in _walk(client, query)]
            by_offset: list[str] = []
            for page in range(1, 8):
                body = client.call("GET", "/sender-accounts", query={**query, "page": page}).json()
                assert body["pagination"]["total"] == len(wanted)
                by_offset += [i["inbox_id"] for i in body["sender_accounts"]]
            assert by_cursor == expected, (order, filters)
            assert by_offset == expected, (order, filters)


def test_health_below_lists_only_lower_scores(workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    stored = [_inbox(i) for i in range(20)]
    for inbox in stored:
        _store(client, inbox)
    for sort_by in ("health_score", "created_at"):
        body = client.call(
            "GET", "/sender-accounts", query={"health_below": 8, "sort_by": sort_by, "limit": 100}
        ).json()
        expected = {i["inbox_id"] for i in stored if i["health_score"] < 8}
        assert {i["inbox_id"] for i in body["sender_accounts"]} == expected
        assert body["pagination"]["total"] == len(expected)


def test_a_cursor_not_issued_for_this_workspace_and_query_is_invalid_cursor(
    workspace: Callable[..., ApiClient],
) -> None:
    owner, other = workspace(), workspace()
    for index in range(5):
        _store(owner, _inbox(index))
        _store(other, _inbox(index))
    first = owner.call("GET", "/sender-accounts", query={"limit": 2}).json()
    cursor = first["pagination"]["next_cursor"]
    payload, mac = cursor.split(".")
    tampered = ("A" if payload[0] != "A" else "B") + payload[1:] + "." + mac
    cases = [
        (other, {"limit": 2, "cursor": cursor}),  # another workspace's position
        (owner, {"limit": 2, "cursor": cursor, "sort_by": "email_address"}),  # another query
        (owner, {"limit": 2, "cursor": cursor, "status": "ACTIVE"}),
        (owner, {"limit": 2, "cursor": tampered}),
        (owner, {"limit": 2, "cursor": "not-a-cursor"}),
        (owner, {"limit": 2, "cursor": "e30.AAAA"}),
    ]
    for client, query in cases:
        response = client.call("GET", "/sender-accounts", query=query)
        assert response.status == 400, (query, response.body)
        assert response.json()["error_code"] == "INVALID_CURSOR"
    # And the genuine cursor still continues the walk
    assert owner.call("GET", "/sender-accounts", query={"limit": 2, "cursor": cursor}).status == 200


def test_counters_stay_exact_under_parallel_creates_and_deletes(
    workspace: Callable[..., ApiClient],
) -> None:
    client = workspace()

    def create(index: int) -> str:
        body = {
            "email_address": f"racer{index}@acme.test",
            "display_name": "Racer",
            "inbox_type": TYPES[index % 3],
            "smtp_host": "127.0.0.1",
            "smtp_port": 9,
            "smtp_username": "racer",
            "smtp_password": "Racer-password-1",
            "imap_host": "127.0.0.1",
            "imap_port": 9,
            "imap_username": "racer",
            "imap_password": "Racer-password-1",
            "on_validation_failure": "store",  # kept DISABLED: no mail server needed
        }
        response = client.call("POST", "/sender-accounts/smtp", body)
        assert response.status == 201, response.body
        return str(response.json()["inbox_id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        created = list(pool.map(create, range(24)))
        # the same inbox deleted twice at once: one wins, the counters move once
        doomed = created[:8] * 2
        list(pool.map(lambda i: client.call("DELETE", f"/sender-accounts/{i}"), doomed))
    remaining = _walk(client, {"limit": 100})
    assert len(remaining) == 16
    for filters in ({}, {"status": "DISABLED"}, {"inbox_type": "OUTLOOK_365"}):
        body = client.call("GET", "/sender-accounts", query={**filters, "limit": 1}).json()
        listed = [
            i for i in remaining
            if all(i["overall_status" if k == "status" else k] == v for k, v in filters.items())
        ]  # fmt: skip
        assert body["pagination"]["total"] == len(listed), filters


def test_search_finds_any_part_of_the_address_by_page_and_by_cursor(
    workspace: Callable[..., ApiClient],
) -> None:
    # Given inboxes whose addresses share parts in the middle, at the start and in the domain
    client = workspace()
    stored = [_inbox(i) for i in range(30)]
    for inbox in stored:
        _store(client, inbox)
    for text in ("LKER01", "walker00", "@alpha", "beta.test", "nowhere"):
        wanted = [i for i in stored if text.lower() in i["email_address"].lower()]
        expected = [i["inbox_id"] for i in sorted(wanted, key=_sort_key("email_address"))]
        query = {"search": text, "sort_by": "email_address", "sort_order": "asc", "limit": 4}
        # When it is searched by cursor and by page
        by_cursor = [i["inbox_id"] for i in _walk(client, query)]
        first = client.call("GET", "/sender-accounts", query=query).json()
        # Then both give every match once, in order, and the total counts them
        assert by_cursor == expected, text
        assert first["pagination"]["total"] == len(wanted)
        assert [i["inbox_id"] for i in first["sender_accounts"]] == expected[:4]
    # And a deleted inbox is no longer found
    gone = stored[10]
    _remove(client, gone["inbox_id"])
    found = client.call("GET", "/sender-accounts", query={"search": "walker010"}).json()
    assert found["sender_accounts"] == []
