"""Listing: filters, search, sorting and page arithmetic over one workspace's partition."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.stack import ApiClient


def seed_inboxes(client: ApiClient, count: int) -> list[dict[str, Any]]:
    """Inboxes stored directly through the repository: listing does not need mail servers."""
    from sender_accounts.composition import repository
    from sender_accounts.store.records import InboxRecord

    seeded = []
    for index in range(count):
        inbox = {
            # Ids sort like creation times, and differ between workspaces.
            "inbox_id": f"{index:08d}-{uuid.uuid4().hex[:4]}-4000-8000-{uuid.uuid4().hex[:12]}",
            "email_address": f"sender{index:02d}@{'alpha' if index % 2 else 'beta'}.test",
            "email_lower": f"sender{index:02d}@{'alpha' if index % 2 else 'beta'}.test",
            "display_name": f"Sender {index}",
            "inbox_type": "GOOGLE_WORKSPACE" if index % 3 == 0 else "CUSTOM_SMTP",
            "overall_status": "PAUSED" if index % 4 == 0 else "ACTIVE",
            "daily_limit": 10 + index,
            "emails_sent_today": 0,
            "health_score": (index * 7) % 100,
            "created_at": f"2026-01-{index + 1:02d}T00:00:00Z",
            "updated_at": f"2026-01-{index + 1:02d}T00:00:00Z",
        }
        repository.get().create_inbox(client.workspace_id, InboxRecord.model_validate(inbox))
        seeded.append(inbox)
    return seeded


def test_pages_cover_every_item_once(workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    seed_inboxes(client, 23)
    seen: list[str] = []
    for page in (1, 2, 3):
        body = client.call("GET", "/sender-accounts", query={"page": page, "limit": 10}).json()
        # ColdSend's block, and where a cursor walk would continue (null on the last page)
        next_cursor = body["pagination"].pop("next_cursor")
        assert (next_cursor is not None) == (page < 3)
        assert body["pagination"] == {
            "page": page,
            "limit": 10,
            "total": 23,
            "pages": 3,
            "has_next": page < 3,
            "has_prev": page > 1,
        }
        assert body["message"] == f"Retrieved {len(body['sender_accounts'])} sender accounts"
        seen += [item["inbox_id"] for item in body["sender_accounts"]]
    assert len(seen) == 23 == len(set(seen))
    created = list(seen)
    assert created == sorted(created, reverse=True)  # default: created_at descending
    beyond = client.call("GET", "/sender-accounts", query={"page": 4, "limit": 10}).json()
    assert beyond["sender_accounts"] == []
    assert beyond["pagination"]["has_next"] is False


def test_filters_search_and_sort(workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    seeded = seed_inboxes(client, 12)
    query = {
        "inbox_type": "CUSTOM_SMTP",
        "status": "ACTIVE",
        "search": "ALPHA",
        "sort_by": "health_score",
        "sort_order": "asc",
    }
    body = client.call("GET", "/sender-accounts", query=query).json()
    matching = [
        s
        for s in seeded
        if s["inbox_type"] == "CUSTOM_SMTP"
        and s["overall_status"] == "ACTIVE"
        and "alpha" in s["email_lower"]
    ]
    expected = sorted(matching, key=lambda s: s["health_score"])
    assert [i["inbox_id"] for i in body["sender_accounts"]] == [s["inbox_id"] for s in expected]
    assert body["pagination"]["total"] == len(expected) > 0
    by_address = client.call(
        "GET",
        "/sender-accounts",
        query={"sort_by": "email_address", "sort_order": "asc", "limit": 100},
    ).json()
    addresses = [i["email_address"] for i in by_address["sender_accounts"]]
    assert addresses == sorted(addresses)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": 0}, "page"),
        ({"limit": 101}, "limit"),
        ({"limit": 0}, "limit"),
        ({"sort_by": "password"}, "sort_by"),
        ({"sort_order": "up"}, "sort_order"),
        ({"status": "GONE"}, "status"),
        ({"inbox_type": "YAHOO"}, "inbox_type"),
    ],
)
def test_bad_query_parameters_are_422_naming_the_field(
    workspace: Callable[..., ApiClient], query: dict[str, Any], field: str
) -> None:
    response = workspace().call("GET", "/sender-accounts", query=query)
    assert response.status == 422
    assert ["query", field] in [problem["loc"] for problem in response.json()["detail"]]
