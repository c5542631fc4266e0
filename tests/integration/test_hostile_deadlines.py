"""A mail server that hangs a session in ways a timeout per read does not catch: every stage
ends within MAIL_STEP_TIMEOUT_SECONDS and every validation or check within its deadline, over
the API, in the bulk queue's consumer and in the health queue's, whatever the server sends."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from tests.support.hostile_servers import imap_second_greeting_line
from tests.support.inboxes import create_inbox, finished_job
from tests.support.misbehaving_servers import misbehaving_server
from tests.support.stack import MAILBOX_PASSWORD, ApiClient, smtp_account

STEP_SECONDS = 2.0
DEADLINE_SECONDS = 5.0
# A loaded machine's slack on top of the deadline; the hang this guards against never ended.
SLACK_SECONDS = 5.0


@pytest.fixture
def hostile_imap_port(settings_env: Callable[[str, str], None]) -> Iterator[int]:
    settings_env("MAIL_STEP_TIMEOUT_SECONDS", str(STEP_SECONDS))
    settings_env("VALIDATION_DEADLINE_SECONDS", str(DEADLINE_SECONDS))
    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
    with misbehaving_server(imap_second_greeting_line) as port:
        yield port


def hostile_request(mail_server: MailServer, port: int, **more: Any) -> dict[str, Any]:
    return smtp_account(mail_server, imap_port=port, imap_security="none", **more)


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_create_ends_within_its_deadline_when_the_greeting_has_a_second_line(
    mail_server: MailServer, workspace: Callable[..., ApiClient], hostile_imap_port: int
) -> None:
    client = workspace()
    request = hostile_request(mail_server, hostile_imap_port)
    response, elapsed = timed(lambda: client.call("POST", "/sender-accounts/smtp", request))
    assert response.status == 400, response.body
    failed = {e["stage"]: e["error_code"] for e in response.json()["errors"]}
    assert failed["imap"] == "TIMEOUT"
    assert elapsed < DEADLINE_SECONDS + SLACK_SECONDS
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0


def test_patch_and_check_end_within_their_deadlines(
    mail_server: MailServer, workspace: Callable[..., ApiClient], hostile_imap_port: int
) -> None:
    client = workspace()
    inbox_id = create_inbox(client, mail_server)
    moved = {
        "imap_port": hostile_imap_port,
        "imap_security": "none",
        "imap_password": MAILBOX_PASSWORD,
    }
    response, elapsed = timed(lambda: client.call("PATCH", f"/sender-accounts/{inbox_id}", moved))
    assert response.status == 400, response.body
    assert elapsed < DEADLINE_SECONDS + SLACK_SECONDS
    # The stored inbox still points at Dovecot: nothing of the refused change was kept
    stored = client.call("GET", f"/sender-accounts/{inbox_id}").json()
    assert stored["imap_port"] == mail_server.imaps_port

    kept = hostile_request(mail_server, hostile_imap_port, on_validation_failure="store")
    kept["email_address"] = "kept@acme.test"
    created = client.call("POST", "/sender-accounts/smtp", kept)
    assert created.status == 201, created.body
    hostile_id = created.json()["inbox_id"]
    check, elapsed = timed(lambda: client.call("POST", f"/sender-accounts/{hostile_id}/check"))
    assert check.status == 200, check.body
    assert check.json()["imap"]["error_code"] == "TIMEOUT"
    assert elapsed < DEADLINE_SECONDS + SLACK_SECONDS


def test_queue_consumers_finish_the_other_workspaces_records(
    mail_server: MailServer, workspace: Callable[..., ApiClient], hostile_imap_port: int
) -> None:
    """A bulk validation row and a bulk check against the hostile server end as failures of
    their own; another workspace's check running beside them completes."""
    attacker, neighbour = workspace(), workspace()
    rows = [
        hostile_request(mail_server, hostile_imap_port, email_address=f"row{n}@acme.test")
        for n in range(2)
    ]
    accepted = attacker.call("POST", "/sender-accounts/smtp/bulk", {"inboxes": rows})
    assert accepted.status == 202, accepted.body
    kept = hostile_request(mail_server, hostile_imap_port, on_validation_failure="store")
    hostile_id = attacker.call("POST", "/sender-accounts/smtp", kept).json()["inbox_id"]
    theirs = create_inbox(neighbour, mail_server)

    check = attacker.call("POST", "/sender-accounts/bulk/check", {"inbox_ids": [hostile_id]})
    other = neighbour.call("POST", "/sender-accounts/bulk/check", {"inbox_ids": [theirs]})
    assert check.status == other.status == 202
    bound = 3 * (DEADLINE_SECONDS + SLACK_SECONDS)
    neighbours = finished_job(
        neighbour, f"/sender-accounts/bulk/check/{other.json()['job_id']}/progress", bound
    )
    assert neighbours["healthy_count"] == 1
    attackers = finished_job(
        attacker, f"/sender-accounts/bulk/check/{check.json()['job_id']}/progress", bound
    )
    assert attackers["unhealthy_count"] == 1
    bulk = finished_job(
        attacker, f"/sender-accounts/smtp/bulk/{accepted.json()['job_id']}/progress", bound
    )
    assert bulk["failed_count"] == 2
    assert {r["error_code"] for r in bulk["results"]} == {"TIMEOUT"}
