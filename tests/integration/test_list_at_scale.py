"""Lists served by the list indexes: cursor walks that survive concurrent writes, cursors
nobody can forge, counters that stay exact under races, and pages that agree with a brute-force
sort of the same data."""

from __future__ import annotations

import contextlib
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


WARMUP_CASES = (
    # (settings.warmup.enabled, overall_status, warmup_state) -> the warm-up status it lists as
    (True, "ACTIVE", None),  # ACTIVE
    (True, "ACTIVE", "SPAM_FOLDER_UNKNOWN"),
    (False, "ACTIVE", "PAUSED_BY_SAFETY"),
    (False, "ACTIVE", None),  # INACTIVE
    (True, "PAUSED", None),  # INACTIVE: not a member
)


def _store_quiet_member(client: ApiClient, inbox: dict[str, Any]) -> None:
    """Stored as `_store` does; a warm-up member among them is never due for planning (the
    planner would keep a reputation of its own), and its workspace pool keeps it out of other
    workspaces' warm-up. Scheduled runs are held back between the two writes: a planner run in
    between would plan the new member and replace its reputation."""
    import os

    import boto3

    db = boto3.client("dynamodb")
    key = {"pk": {"S": f"WS#{client.workspace_id}"}, "sk": {"S": f"INBOX#{inbox['inbox_id']}"}}
    with client.runtime.scheduler.paused():
        _store(client, inbox)
        with contextlib.suppress(db.exceptions.ConditionalCheckFailedException):  # not a member
            db.update_item(
                TableName=os.environ["TABLE_NAME"],
                Key=key,
                UpdateExpression="SET warmup_plan_at = :later",
                ConditionExpression="attribute_exists(warmup_shard)",
                ExpressionAttributeValues={":later": {"S": "9999-12-31T00:00:00.000Z"}},
            )


def _warm_inbox(index: int) -> dict[str, Any]:
    enabled, status, state = WARMUP_CASES[index % len(WARMUP_CASES)]
    reputations = (None, 40.0, 87.5, 87.5, 100.0, 0.0, None)  # ties and nulls
    return _inbox(
        index,
        overall_status=status,
        settings={"warmup": {"enabled": enabled, "pool": "workspace"}},
        warmup_state=state,
        warmup_reputation=reputations[index % len(reputations)],
    )


def _warmup_status(inbox: dict[str, Any]) -> str:
    enabled, status, state = (
        inbox["settings"]["warmup"]["enabled"],
        inbox["overall_status"],
        inbox["warmup_state"],
    )
    if state == "PAUSED_BY_SAFETY":
        return "PAUSED_BY_SAFETY"
    if not enabled or status != "ACTIVE":
        return "INACTIVE"
    return state or "ACTIVE"


def _by_reputation(inbox: dict[str, Any]) -> tuple[float, str]:
    reputation = inbox["warmup_reputation"]
    return (-1.0 if reputation is None else reputation, inbox["inbox_id"])  # none sorts lowest


def test_warmup_status_filters_and_the_reputation_order_agree_with_a_brute_force_sort(
    workspace: Callable[..., ApiClient],
) -> None:
    # Given inboxes in every warm-up status, with tied and missing reputations
    client = workspace()
    stored = [_warm_inbox(i) for i in range(31)]
    for inbox in stored:
        _store_quiet_member(client, inbox)
    statuses = ("ACTIVE", "SPAM_FOLDER_UNKNOWN", "PAUSED_BY_SAFETY", "INACTIVE")
    cases: list[tuple[dict[str, Any], Callable[[dict[str, Any]], Any]]] = [
        ({"sort_by": "warmup_reputation"}, _by_reputation),
        ({"sort_by": "warmup_reputation", "inbox_type": "OUTLOOK_365"}, _by_reputation),
        ({"sort_by": "warmup_reputation", "status": "PAUSED"}, _by_reputation),
        ({"sort_by": "warmup_reputation", "health_below": 9}, _by_reputation),
        *[({"sort_by": "warmup_reputation", "warmup_status": s}, _by_reputation) for s in statuses],
        ({"sort_by": "created_at", "warmup_status": "INACTIVE"}, _sort_key("created_at")),
        ({"sort_by": "health_score", "warmup_status": "ACTIVE"}, _sort_key("health_score")),
        ({"sort_by": "email_address", "warmup_status": "INACTIVE", "status": "PAUSED"},
         _sort_key("email_address")),
        ({"sort_by": "warmup_reputation", "search": "alpha"}, _by_reputation),
        ({"sort_by": "email_address", "search": "walker0", "warmup_status": "ACTIVE"},
         _sort_key("email_address")),
    ]  # fmt: skip
    for filters, key in cases:
        wanted = [
            i for i in stored
            if filters.get("warmup_status") in (None, _warmup_status(i))
            and filters.get("inbox_type") in (None, i["inbox_type"])
            and filters.get("status") in (None, i["overall_status"])
            and i["health_score"] < filters.get("health_below", 101)
            and filters.get("search", "") in i["email_address"]
        ]  # fmt: skip
        assert wanted, filters
        for order in ("asc", "desc"):
            expected = [i["inbox_id"] for i in sorted(wanted, key=key, reverse=order == "desc")]
            query = {"limit": 7, "sort_order": order, **filters}
            # When it is walked by cursor and by page
            by_cursor = [i["inbox_id"] for i in _walk(client, query)]
            assert by_cursor == expected, (filters, order)
            by_offset: list[str] = []
            for page in range(1, 10 if order == "asc" else 2):
                body = client.call("GET", "/sender-accounts", query={**query, "page": page}).json()
                assert body["pagination"]["total"] == len(wanted), (filters, order)
                by_offset += [i["inbox_id"] for i in body["sender_accounts"]]
                if not body["pagination"]["has_next"]:
                    break
            # Then both give the brute-force order, each inbox once, and the total counts them
            assert by_offset == expected[: len(by_offset)], (filters, order)
            assert order == "desc" or len(by_offset) == len(expected)
    # And every entry shows its warm-up status and reputation
    shown = _walk(client, {"limit": 100, "sort_by": "warmup_reputation"})
    by_id = {i["inbox_id"]: i for i in stored}
    for entry in shown:
        assert entry["warmup_status"] == _warmup_status(by_id[entry["inbox_id"]])
        assert entry["warmup_reputation"] == by_id[entry["inbox_id"]]["warmup_reputation"]


def test_warmup_lists_follow_a_pause_a_new_reputation_and_a_stored_inbox_backfilled(
    workspace: Callable[..., ApiClient],
) -> None:
    import os

    import boto3

    from sender_accounts.store.inbox_backfill import StoredInboxBackfill
    from sender_accounts.store.warmup_members import PoolMember, WarmupMembers

    client = workspace()
    db, table = boto3.client("dynamodb"), os.environ["TABLE_NAME"]
    warmup = {"warmup": {"enabled": True, "pool": "workspace"}}
    stored = [_inbox(i, overall_status="ACTIVE", settings=warmup) for i in range(3)]
    for inbox in stored:
        _store_quiet_member(client, inbox)

    def listed(query: dict[str, Any]) -> tuple[list[str], int]:
        body = client.call("GET", "/sender-accounts", query={"limit": 100, **query}).json()
        return [i["inbox_id"] for i in body["sender_accounts"]], body["pagination"]["total"]

    first, second, third = (i["inbox_id"] for i in stored)
    assert listed({"warmup_status": "ACTIVE"})[1] == 3
    # A PATCH that turns warm-up off moves the inbox and its count
    response = client.call("PATCH", f"/sender-accounts/{first}", {"warmup": {"enabled": False}})
    assert response.status == 200, response.body
    assert listed({"warmup_status": "INACTIVE"}) == ([first], 1)
    assert listed({"warmup_status": "ACTIVE"})[1] == 2
    # A reputation the planner keeps moves the inbox in the reputation order
    members = WarmupMembers(db, table)
    for inbox_id, reputation in ((second, 20.0), (third, 95.0)):
        member = PoolMember(client.workspace_id, inbox_id, "", "", "", "", {}, "")
        members.set_reputation(member, reputation)
    ids, _ = listed({"warmup_status": "ACTIVE", "sort_by": "warmup_reputation"})
    assert ids == [third, second]  # descending by default
    members.set_reputation(PoolMember(client.workspace_id, third, "", "", "", "", {}, ""), None)
    ids, _ = listed({"sort_by": "warmup_reputation", "sort_order": "asc"})
    assert ids[-1] == second  # no reputation sorts lowest
    detail = client.call("GET", f"/sender-accounts/{second}").json()
    assert detail["warmup_reputation"] == 20.0
    # An inbox stored before the warm-up list index: no keys, not counted
    key = {"pk": {"S": f"WS#{client.workspace_id}"}, "sk": {"S": f"INBOX#{second}"}}
    old = "REMOVE lk_w, ls_wrep, summary.warmup_status, summary.warmup_reputation"
    db.update_item(TableName=table, Key=key, UpdateExpression=old)
    db.update_item(
        TableName=table,
        Key={"pk": {"S": f"WS#{client.workspace_id}"}, "sk": {"S": "COUNTS"}},
        UpdateExpression="ADD w_ACTIVE :minus",
        ExpressionAttributeValues={":minus": {"N": "-1"}},
    )
    assert listed({"warmup_status": "ACTIVE"}) == ([third], 1)
    # When the one-off backfill runs, it is listed and counted again, once
    assert StoredInboxBackfill(db, table).run() >= 1
    assert StoredInboxBackfill(db, table).run() == 0
    assert sorted(listed({"warmup_status": "ACTIVE"})[0]) == sorted([second, third])
    assert listed({"warmup_status": "ACTIVE"})[1] == 2
