"""Warm-up's safeguards against a real Dovecot that delivers between its mailboxes: a bounce
pauses the sender and takes the recipient out of the pool, an authentication failure pauses the
sender, a member that leaves is sent nothing more, and a redelivered send or check changes
nothing. Each test drives the workers with the planner's own messages."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from local_stack.mail_delivery import Delivery
from local_stack.mail_server import DovecotOptions, MailServer, start_mail_server
from local_stack.pki import ServerPki
from local_stack.runtime import LocalRuntime, reset_process_caches
from tests.support.bus_tap import bus_tap
from tests.support.mail_servers import set_password
from tests.support.secret_scan import SCAN
from tests.support.stack import ApiClient
from tests.support.warmup_store import (
    invoke_function,
    member_account,
    queue_event,
    require_delivery,
    stored_mail,
    table_items,
)

PASSWORD = "Safety-mailbox-pw-3"
NEW_PASSWORD = "Changed-by-admin-pw-9"
SCAN.register(PASSWORD)
SCAN.register(NEW_PASSWORD)
USERS = (
    "a@one.test",
    "b@two.test",
    "c@three.test",
    "d@four.test",
    "e@five.test",
    "f@six.test",
    "g@seven.test",
    "h@eight.test",
)
SEND, RECEIVE, PLAN = (
    "WarmupSendWorkerFunction",
    "WarmupReceiveWorkerFunction",
    "WarmupPlannerFunction",
)


@pytest.fixture(scope="module")
def server(pki: ServerPki, mail_server: MailServer) -> Iterator[MailServer]:
    require_delivery()
    started = start_mail_server(
        pki, dict.fromkeys(USERS, PASSWORD), options=DovecotOptions(delivery=Delivery())
    )
    yield started
    started.stop()


@pytest.fixture
def long_days(settings_env: Callable[[str, str], None]) -> None:
    # A long day: the planner's own queueing of these sends is far off, the test sends them.
    settings_env("WARMUP_DAY_SECONDS", "3600")
    settings_env("WARMUP_MIN_DELAY_SECONDS", "0")


def pair(client: ApiClient, server: MailServer, first: str, second: str) -> dict[str, str]:
    """Two members of one workspace's pool, each planned to send one email to the other (by
    this run of the planner: the schedule's own runs wait)."""
    ids = {}
    with client.runtime.scheduler.paused():
        for address in (first, second):
            body = member_account(server, address, PASSWORD, 100, start_per_day=1)
            created = client.call("POST", "/sender-accounts/smtp", body)
            assert created.status == 201, created.body
            ids[address] = created.json()["inbox_id"]
        assert invoke_function(PLAN, {"detail": {}})["members_planned"] >= 2
    return ids


def planned_from(inbox_id: str) -> dict[str, Any]:
    (message,) = [m for m in table_items("MSG#") if m["sender_id"] == inbox_id]
    return message


def send(send_id: str) -> Any:
    return invoke_function(SEND, queue_event({"send_id": send_id}))


def report(client: ApiClient, inbox_id: str) -> dict[str, Any]:
    return client.call("GET", f"/sender-accounts/{inbox_id}/warmup").json()


def test_a_redelivered_send_or_check_changes_nothing(
    runtime: LocalRuntime,
    workspace: Callable[..., ApiClient],
    server: MailServer,
    long_days: None,
) -> None:
    client = workspace()
    ids = pair(client, server, "a@one.test", "b@two.test")
    message = planned_from(ids["a@one.test"])
    assert send(message["send_id"]) == {"batchItemFailures": []}
    assert send(message["send_id"]) == {"batchItemFailures": []}  # redelivered
    copies = [m for m in stored_mail(server.root) if m.message_id == message["message_id"]]
    assert len(copies) == 1
    check = next(i for i in table_items("CHECK#") if ids["b@two.test"] in i["pk"])
    slot = {"workspace_id": client.workspace_id, "inbox_id": ids["b@two.test"], "slot": check["sk"]}
    for _ in range(2):  # the check, then the same check redelivered
        assert invoke_function(RECEIVE, queue_event(slot)) == {"batchItemFailures": []}
    sender, recipient = report(client, ids["a@one.test"]), report(client, ids["b@two.test"])
    assert (sender["sent"], sender["daily"][0]["landed_inbox"]) == (1, 1)
    assert recipient["daily"][0]["received"] == 1
    # At 100 %, exactly one reply was planned for the one message received, not two.
    replies = [m for m in table_items("MSG#") if m.get("in_reply_to") == message["message_id"]]
    assert len(replies) == 1


def test_a_bounce_pauses_the_sender_and_takes_the_recipient_out(
    runtime: LocalRuntime,
    workspace: Callable[..., ApiClient],
    server: MailServer,
    long_days: None,
) -> None:
    client = workspace()
    tap = bus_tap(f"warmup-{client.workspace_id[-12:]}")
    ids = pair(client, server, "c@three.test", "d@four.test")
    server.relay.refused_recipients.add("d@four.test")  # type: ignore[attr-defined]
    try:
        assert send(planned_from(ids["c@three.test"])["send_id"]) == {"batchItemFailures": []}
    finally:
        server.relay.refused_recipients.clear()  # type: ignore[attr-defined]
    sender, recipient = report(client, ids["c@three.test"]), report(client, ids["d@four.test"])
    assert (sender["warmup_status"], sender["pause_reason"]) == ("PAUSED_BY_SAFETY", "BOUNCE")
    assert sender["daily"][0]["bounced"] == 1
    assert (recipient["warmup_status"], recipient["pause_reason"]) == (
        "PAUSED_BY_SAFETY",
        "RECIPIENT_BOUNCED",
    )
    paused = {e["detail"]["inbox_id"]: e["detail"]["reason"] for e in tap.of_type("WarmupPaused")}
    assert paused == {ids["c@three.test"]: "BOUNCE", ids["d@four.test"]: "RECIPIENT_BOUNCED"}
    # The recipient left the pool: its own planned send is dropped, nothing reaches the sender.
    assert send(planned_from(ids["d@four.test"])["send_id"]) == {"batchItemFailures": []}
    assert planned_from(ids["d@four.test"])["status"] == "dropped"
    # Enabled again once ACTIVE: warm-up resumes, a new day 1.
    resumed = client.call(
        "PATCH", f"/sender-accounts/{ids['c@three.test']}", {"warmup": {"enabled": True}}
    )
    assert resumed.json()["warmup_status"] == "ACTIVE"
    assert tap.of_type("WarmupResumed", ids["c@three.test"])


def test_an_auth_failure_pauses_and_a_member_that_leaves_is_sent_nothing(
    runtime: LocalRuntime,
    workspace: Callable[..., ApiClient],
    server: MailServer,
    long_days: None,
) -> None:
    client = workspace()
    ids = pair(client, server, "e@five.test", "f@six.test")
    set_password(server, "e@five.test", NEW_PASSWORD)
    try:
        to_f = planned_from(ids["e@five.test"])
        assert send(to_f["send_id"]) == {"batchItemFailures": []}
        e = report(client, ids["e@five.test"])
        assert (e["warmup_status"], e["pause_reason"]) == ("PAUSED_BY_SAFETY", "AUTH_FAILED")
        assert planned_from(ids["e@five.test"])["status"] == "dropped"
        # f leaves (warm-up off): what was planned for it, or from it, is not sent.
        left = client.call(
            "PATCH", f"/sender-accounts/{ids['f@six.test']}", {"warmup": {"enabled": False}}
        )
        assert left.json()["warmup_status"] == "INACTIVE"
        from_f = planned_from(ids["f@six.test"])
        assert send(from_f["send_id"]) == {"batchItemFailures": []}
        assert planned_from(ids["f@six.test"])["status"] == "dropped"
        assert not [
            m for m in stored_mail(server.root) if m.sender in ("e@five.test", "f@six.test")
        ]
    finally:
        set_password(server, "e@five.test", PASSWORD)


def test_a_bulk_warmup_job_turns_warmup_off_and_on_and_keeps_the_settings(
    runtime: LocalRuntime,
    workspace: Callable[..., ApiClient],
    server: MailServer,
    long_days: None,
) -> None:
    client = workspace()
    ids = pair(client, server, "a@one.test", "b@two.test")
    listed = [*ids.values(), "no-such-inbox"]

    def job(body: dict[str, Any]) -> dict[str, Any]:
        accepted = client.call("POST", "/sender-accounts/bulk/warmup", body)
        assert accepted.status == 202, accepted.body
        path = f"/sender-accounts/bulk/warmup/{accepted.json()['job_id']}/progress"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            progress = client.call("GET", path).json()["job"]
            if progress["status"] == "COMPLETED":
                return dict(progress)
            time.sleep(0.2)
        raise AssertionError("the bulk warm-up job did not complete")

    off = job({"inbox_ids": listed, "enabled": False})
    assert (off["success_count"], off["skipped_count"], off["failed_count"]) == (2, 1, 0)
    assert [r["status"] for r in off["results"]] == ["SUCCESS", "SUCCESS", "SKIPPED"]
    for inbox_id in ids.values():
        shown = client.call("GET", f"/sender-accounts/{inbox_id}").json()
        assert shown["warmup_status"] == "INACTIVE"
        assert shown["warmup"]["reply_rate_percentage"] == 100  # kept
    on = job({"status": "ACTIVE", "enabled": True})
    assert on["success_count"] == 2
    assert {report(client, i)["warmup_status"] for i in ids.values()} == {"ACTIVE"}
    refused = client.call("POST", "/sender-accounts/bulk/warmup", {"enabled": True})
    assert refused.status in (400, 422), refused.body


def test_a_dsn_in_the_senders_inbox_counts_as_a_bounce(
    runtime: LocalRuntime,
    workspace: Callable[..., ApiClient],
    server: MailServer,
    long_days: None,
) -> None:
    client = workspace()
    ids = pair(client, server, "g@seven.test", "h@eight.test")
    relay: Any = server.relay
    relay.bounced_after_accepting.add("h@eight.test")  # accepted, then returned as a DSN
    try:
        to_h, to_g = planned_from(ids["g@seven.test"]), planned_from(ids["h@eight.test"])
        assert send(to_h["send_id"]) == {"batchItemFailures": []}
        assert planned_from(ids["g@seven.test"])["status"] == "sent"  # SMTP said nothing
        assert send(to_g["send_id"]) == {"batchItemFailures": []}
    finally:
        relay.bounced_after_accepting.clear()
    dsns = [
        m
        for m in stored_mail(server.root)
        if m.owner == "g@seven.test" and m.sender == "MAILER-DAEMON@localhost"
    ]
    assert len(dsns) == 1
    check = next(i for i in table_items("CHECK#") if ids["g@seven.test"] in i["pk"])
    slot = {
        "workspace_id": client.workspace_id,
        "inbox_id": ids["g@seven.test"],
        "slot": check["sk"],
    }
    assert invoke_function(RECEIVE, queue_event(slot)) == {"batchItemFailures": []}
    g, h = report(client, ids["g@seven.test"]), report(client, ids["h@eight.test"])
    assert (g["warmup_status"], g["pause_reason"]) == ("PAUSED_BY_SAFETY", "BOUNCE")
    assert g["daily"][0]["bounced"] == 1
    assert (h["warmup_status"], h["pause_reason"]) == ("PAUSED_BY_SAFETY", "RECIPIENT_BOUNCED")
    statuses = {m["send_id"]: m["status"] for m in table_items("MSG#")}
    assert statuses[to_h["send_id"]] == "bounced"
    # The DSN itself is the user's: not moved, not marked.
    assert [m.flags for m in stored_mail(server.root) if m.sender == "MAILER-DAEMON@localhost"] == [
        ""
    ]


def test_inboxes_stored_with_warmup_on_before_the_engine_start_warming_up(
    runtime: LocalRuntime,
    workspace: Callable[..., ApiClient],
    server: MailServer,
    long_days: None,
) -> None:
    import boto3

    client = workspace()
    db, table = boto3.client("dynamodb"), os.environ["TABLE_NAME"]
    ids = []
    for address in ("c@three.test", "d@four.test"):
        body = member_account(server, address, PASSWORD, 0, start_per_day=1)
        ids.append(client.call("POST", "/sender-accounts/smtp", body).json()["inbox_id"])
        # As an inbox was stored before warm-up ran: enabled, but in no pool
        db.update_item(
            TableName=table,
            Key={"pk": {"S": f"WS#{client.workspace_id}"}, "sk": {"S": f"INBOX#{ids[-1]}"}},
            UpdateExpression="REMOVE warmup_shard, warmup_plan_at, warmup_member,"
            " warmup_started_at",
        )
    db.delete_item(
        TableName=os.environ["WARMUP_TABLE_NAME"],
        Key={"pk": {"S": "ONCE#adopt-stored-members"}, "sk": {"S": "ONCE"}},
    )
    # A new deployment's planner: one that already ran in this process (a scheduled run
    # meanwhile) has done its one-off step.
    reset_process_caches()
    invoke_function(PLAN, {"detail": {}})  # (a scheduled run may be the one that adopts them)
    for inbox_id in ids:
        assert report(client, inbox_id)["warmup_started_at"]
        assert planned_from(inbox_id)["status"] in {"planned", "sending", "sent"}
    # Once per deployment: the next run scans nothing.
    assert invoke_function(PLAN, {"detail": {}})["adopted"] == 0
