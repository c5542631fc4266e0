"""Bulk deletion: confirmed, asynchronous, exact counts, only the workspace's own inboxes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.integration.test_list_sender_accounts import seed_inboxes
from tests.support.inboxes import finished_job
from tests.support.stack import ApiClient


def wait_for_deletion(client: ApiClient, job_id: str, timeout: float = 90) -> dict[str, Any]:
    return finished_job(client, f"/sender-accounts/bulk/delete/{job_id}/progress", timeout)


def test_bulk_delete_touches_only_own_inboxes_with_exact_counts(
    workspace: Callable[..., ApiClient],
) -> None:
    # Given two own inboxes, another workspace's inbox, and an unknown id (one listed twice)
    mine, theirs = workspace(), workspace()
    own = [inbox["inbox_id"] for inbox in seed_inboxes(mine, 2)]
    foreign = seed_inboxes(theirs, 1)[0]["inbox_id"]
    ids = [own[0], foreign, "00000000-dead-4000-8000-000000000000", own[1], own[0]]
    # When the workspace deletes them in bulk
    accepted = mine.call(
        "POST", "/sender-accounts/bulk/delete", {"inbox_ids": ids, "confirm_deletion": True}
    )
    assert accepted.status == 202, accepted.body
    assert accepted.json()["total_rows"] == 5
    # The repeated id is named in the answer, not dropped silently
    assert accepted.json()["warnings"] == [
        "inbox_ids[4] repeats an earlier id (listed before, in row 0): skipped"
    ]
    job = wait_for_deletion(mine, accepted.json()["job_id"])
    # Then its own are deleted, the rest skipped, and the other workspace's inbox remains
    assert (job["deleted_count"], job["skipped_count"], job["failed_count"]) == (2, 3, 0)
    assert job["processed_count"] == job["total_rows"] == 5
    assert [r["status"] for r in job["results"]] == [
        "DELETED", "SKIPPED", "SKIPPED", "DELETED", "SKIPPED",
    ]  # fmt: skip
    assert [r["inbox_id"] for r in job["results"]] == ids
    assert mine.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0
    assert theirs.call("GET", f"/sender-accounts/{foreign}").status == 200
    # And the deleted addresses are free again: no guard was left behind
    from sender_accounts.composition import repository

    assert not repository.get().address_taken(mine.workspace_id, "sender00@beta.test")


@pytest.mark.parametrize(
    "body", [{"inbox_ids": ["x"]}, {"inbox_ids": ["x"], "confirm_deletion": False}]
)
def test_unconfirmed_bulk_delete_is_400_and_deletes_nothing(
    workspace: Callable[..., ApiClient], body: dict[str, Any]
) -> None:
    client = workspace()
    inbox_id = seed_inboxes(client, 1)[0]["inbox_id"]
    response = client.call(
        "POST", "/sender-accounts/bulk/delete", {**body, "inbox_ids": [inbox_id]}
    )
    assert response.status == 400
    assert response.json()["error_code"] == "CONFIRMATION_REQUIRED"
    assert client.call("GET", f"/sender-accounts/{inbox_id}").status == 200


@pytest.mark.parametrize("ids", [[], [f"id-{i}" for i in range(101)]])
def test_bulk_delete_size_is_1_to_100(workspace: Callable[..., ApiClient], ids: list[str]) -> None:
    response = workspace().call(
        "POST", "/sender-accounts/bulk/delete", {"inbox_ids": ids, "confirm_deletion": True}
    )
    assert response.status == 422
    assert ["body", "inbox_ids"] in [p["loc"][:2] for p in response.json()["detail"]]


def test_other_workspaces_and_other_kinds_of_jobs_are_404(
    workspace: Callable[..., ApiClient],
) -> None:
    owner, stranger = workspace(), workspace()
    job_id = owner.call(
        "POST", "/sender-accounts/bulk/delete", {"inbox_ids": ["a"], "confirm_deletion": True}
    ).json()["job_id"]
    assert stranger.call("GET", f"/sender-accounts/bulk/delete/{job_id}/progress").status == 404
    assert owner.call("GET", f"/sender-accounts/smtp/bulk/{job_id}/progress").status == 404
    wait_for_deletion(owner, job_id)
