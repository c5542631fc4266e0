"""Checks through the health queue: bulk checks (listed ids, or every inbox in one status) and
the scheduled sweep, which finds due inboxes through its index only and keeps to the per-host
connection bound."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from local_stack.functions import invoke
from local_stack.mail_server import MailServer
from local_stack.runtime import LocalRuntime
from local_stack.schedules import LocalScheduler, scheduled_event
from local_stack.template import ScheduleSource
from tests.support.bus_tap import bus_tap
from tests.support.delay_proxy import DelayProxy, FlightCounter
from tests.support.inboxes import create_inbox, finished_job
from tests.support.mail_servers import set_password
from tests.support.stack import MAILBOX_PASSWORD, MONITORED_USER, ApiClient

PLANNER = "WarmupPlannerFunction"
SWEEP = "HealthSweepFunction"


def wait_for_job(client: ApiClient, job_id: str, timeout: float = 90) -> dict[str, Any]:
    return finished_job(client, f"/sender-accounts/bulk/check/{job_id}/progress", timeout)


def bulk_check(client: ApiClient, body: dict[str, Any]) -> dict[str, Any]:
    accepted = client.call("POST", "/sender-accounts/bulk/check", body)
    assert accepted.status == 202, accepted.body
    return wait_for_job(client, accepted.json()["job_id"])


def test_bulk_check_of_listed_ids_reports_each_row_once(
    runtime: LocalRuntime, mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client, stranger = workspace(), workspace()
    mine = create_inbox(client, mail_server)
    theirs = create_inbox(stranger, mail_server)
    unknown = "00000000-0000-4000-8000-000000000001"
    job = bulk_check(client, {"inbox_ids": [mine, unknown, theirs, mine]})
    rows = {r["row"]: r for r in job["results"]}
    assert rows[0]["status"] == "HEALTHY"
    assert rows[0]["overall_status"] == "ACTIVE"
    assert rows[0]["health_score"] > 0
    assert [rows[n]["status"] for n in (1, 2, 3)] == ["SKIPPED"] * 3
    assert rows[3]["error"] == "Listed before, in row 0"
    assert (job["healthy_count"], job["unhealthy_count"], job["skipped_count"]) == (1, 0, 3)
    # The other workspace's inbox was not checked, and its job is not readable by them
    assert stranger.call("GET", f"/sender-accounts/{theirs}").json()["last_checked_at"] is None
    progress = f"/sender-accounts/bulk/check/{job['job_id']}/progress"
    assert stranger.call("GET", progress).status == 404


def test_bulk_check_by_status_reconnects_the_disabled_inboxes(
    runtime: LocalRuntime,
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
    client = workspace()
    tap = bus_tap(f"bulk-check-{client.workspace_id[-12:]}")
    monitored = {"smtp_username": MONITORED_USER, "imap_username": MONITORED_USER}
    disabled = create_inbox(client, mail_server, email_address=MONITORED_USER, **monitored)
    healthy = create_inbox(client, mail_server)
    try:
        set_password(mail_server, MONITORED_USER, "changed-by-the-admin")
        lost = client.call("POST", f"/sender-accounts/{disabled}/check").json()
        assert lost["overall_status"] == "DISABLED"
    finally:
        set_password(mail_server, MONITORED_USER, MAILBOX_PASSWORD)
    job = bulk_check(client, {"status": "DISABLED"})
    assert [(r["inbox_id"], r["status"]) for r in job["results"]] == [(disabled, "HEALTHY")]
    assert client.call("GET", f"/sender-accounts/{disabled}").json()["overall_status"] == "ACTIVE"
    assert client.call("GET", f"/sender-accounts/{healthy}").json()["last_checked_at"] is None
    tap.settled()
    assert len(tap.of_type("SenderAccountReconnected", disabled)) == 1
    assert len(tap.of_type("BulkJobCompleted")) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"inbox_ids": ["a"], "status": "DISABLED"}, "inbox_ids"),
        ({}, "inbox_ids"),
        ({"inbox_ids": []}, "inbox_ids"),
        ({"inbox_ids": [f"id-{n}" for n in range(101)]}, "inbox_ids"),
        ({"status": "BROKEN"}, "status"),
    ],
)
def test_bulk_check_refuses_bad_requests_naming_the_field(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], body: dict[str, Any], field: str
) -> None:
    response = workspace().call("POST", "/sender-accounts/bulk/check", body)
    assert response.status == 422, response.body
    assert field in response.body.decode()


def _make_due(workspace_id: str, inbox_ids: list[str], minutes_ago: int = 5) -> None:
    """Move inboxes' next check into the past, as time passing would."""
    from sender_accounts.adapters.aws_clients import client as aws

    past = (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat()
    for inbox_id in inbox_ids:
        aws("dynamodb").update_item(
            TableName=os.environ["TABLE_NAME"],
            Key={"pk": {"S": f"WS#{workspace_id}"}, "sk": {"S": f"INBOX#{inbox_id}"}},
            UpdateExpression="SET next_check_at = :past",
            ExpressionAttributeValues={":past": {"S": past}},
        )


def _sweep(runtime: LocalRuntime) -> dict[str, int]:
    source = ScheduleSource(SWEEP, "Sweep", "rate(5 minutes)")
    return dict(invoke(runtime.stack.template, SWEEP, scheduled_event(source)))


def _wait_checked(client: ApiClient, inbox_ids: list[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    pending = set(inbox_ids)
    while pending and time.monotonic() < deadline:
        for inbox_id in list(pending):
            if client.call("GET", f"/sender-accounts/{inbox_id}").json()["last_checked_at"]:
                pending.discard(inbox_id)
        time.sleep(0.2)
    assert not pending, f"{len(pending)} due inboxes were never checked"


def test_the_sweep_checks_due_inboxes_only_through_its_index(
    runtime: LocalRuntime, mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    inboxes = [create_inbox(client, mail_server, email_address=f"s{n}@acme.test") for n in range(4)]
    due, not_due = inboxes[:2], inboxes[2:]
    _make_due(client.workspace_id, due)
    report = _sweep(runtime)
    assert report["queued"] >= 2
    _wait_checked(client, due)
    for inbox_id in not_due:
        assert client.call("GET", f"/sender-accounts/{inbox_id}").json()["last_checked_at"] is None
    # Each checked inbox is due again one interval on (±10 %)
    detail = client.call("GET", f"/sender-accounts/{due[0]}").json()
    wait = datetime.fromisoformat(detail["next_check_at"]) - datetime.fromisoformat(
        detail["last_checked_at"]
    )
    assert timedelta(minutes=360 * 0.9) <= wait <= timedelta(minutes=360 * 1.1)
    # A second sweep finds nothing of these: they were claimed, then checked
    _sweep(runtime)
    time.sleep(1)
    assert (
        client.call("GET", f"/sender-accounts/{due[0]}").json()["last_checked_at"]
        == (detail["last_checked_at"])
    )
    # The sweep read the due index and nothing else of the table
    used = {(action, arn) for session, action, arn in runtime.emulation.call("used_by_functions")
            if session == SWEEP}  # fmt: skip
    assert not any(action in {"dynamodb:Scan", "dynamodb:GetItem"} for action, _ in used)
    assert any(arn.endswith("/index/due-by-time") for action, arn in used)


def test_the_sweep_keeps_to_the_connection_bound_per_host(
    runtime: LocalRuntime,
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("MAX_CONNECTIONS_PER_MAIL_HOST", "4")
    smtp = DelayProxy(mail_server.submission_starttls_port, 0.05, FlightCounter()).start()
    imap = DelayProxy(mail_server.imaps_port, 0.05, FlightCounter()).start()
    services = (smtp.counter, imap.counter)
    try:
        client = workspace()
        inboxes = [
            create_inbox(
                client,
                mail_server,
                email_address=f"h{n}@acme.test",
                smtp_port=smtp.port,
                imap_port=imap.port,
                # Explicit modes: a greeting slowed past the detection window by a loaded
                # machine would otherwise cost a check two more connections than its two
                smtp_security="starttls",
                imap_security="ssl",
            )
            for n in range(8)
        ]
        for sessions in services:
            sessions.reset()
        _make_due(client.workspace_id, inboxes)
        _sweep(runtime)
        _wait_checked(client, inboxes)
    finally:
        smtp.stop()
        imap.stop()
    # A connection a check on each service, four at most on each: never more than four checks
    # at once, and the checks did overlap (the bound was reached, not merely respected by chance)
    for sessions in services:
        assert sessions.connections == 8
        assert 3 <= sessions.peak <= 4


def test_the_local_runtime_fires_the_template_schedule(runtime: LocalRuntime) -> None:
    os.environ["LOCAL_SCHEDULE_SECONDS"] = "0.5"
    try:
        scheduler = LocalScheduler(runtime.stack.template, runtime.stack.function_environment)
    finally:
        del os.environ["LOCAL_SCHEDULE_SECONDS"]
    assert scheduler.periods() == {SWEEP: 0.5, PLANNER: 0.5}
    scheduler.start()
    try:
        deadline = time.monotonic() + 15
        while len({f for f, _ in scheduler.fired}) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        scheduler.stop()
    results = dict(scheduler.fired)
    assert set(results[SWEEP]) == {"due", "queued"}
    # Without the override, the template's own rate (the planner's: twenty times a warm-up day
    # when that is sooner)
    periods = LocalScheduler(runtime.stack.template, runtime.stack.function_environment).periods()
    day = float(runtime.stack.function_environment(PLANNER)["WARMUP_DAY_SECONDS"])
    assert periods == {SWEEP: 300, PLANNER: min(60, day / 20)}
