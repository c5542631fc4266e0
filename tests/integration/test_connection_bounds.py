"""Bounds on mail connections, as a provider sees them: per mail service, its server address
(whatever name or spelling reaches it) and port, for checks and for validations apart, and per
workspace and minute.

The server greets slowly (a proxy delaying every packet), so connections overlap and the
bounds are reached, not merely respected by chance."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from local_stack.runtime import LocalRuntime
from tests.integration.test_health_monitoring import _make_due, _sweep
from tests.support.delay_proxy import DelayProxy, FlightCounter
from tests.support.inboxes import create_inbox, finished_job
from tests.support.stack import ApiClient, smtp_account

# Every one reaches 127.0.0.1; a bound keyed by the name gave each its own connections.
SAME_ADDRESS = ("127.0.0.1", "localhost", "LOCALHOST", "Localhost")
# Spellings of that address that are neither a DNS name nor a canonical IP literal.
REFUSED_SPELLINGS = (
    "127.1",
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "127.0.0.01",
    "0x7f.0.0.1",
    "[127.0.0.1]",
    "::ffff:127.0.0.1",
)


@pytest.fixture
def slow_server(mail_server: MailServer) -> Iterator[tuple[DelayProxy, DelayProxy]]:
    """The server's SMTP and IMAP services, each with its own count of sessions."""
    smtp = DelayProxy(mail_server.submission_starttls_port, 0.08, FlightCounter()).start()
    imap = DelayProxy(mail_server.imaps_port, 0.08, FlightCounter()).start()
    try:
        yield smtp, imap
    finally:
        smtp.stop()
        imap.stop()


def _through(proxies: tuple[DelayProxy, DelayProxy], host: str, n: int) -> dict[str, Any]:
    smtp, imap = proxies
    return {
        "email_address": f"b{n}@acme.test",
        "smtp_host": host,
        "imap_host": host,
        "smtp_port": smtp.port,
        "imap_port": imap.port,
        # Explicit modes: a greeting slowed past the detection window costs no extra connection
        "smtp_security": "starttls",
        "imap_security": "ssl",
    }


def test_spellings_that_are_not_a_name_or_a_canonical_literal_are_refused(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    for spelling in REFUSED_SPELLINGS:
        for field in ("smtp_host", "imap_host"):
            body = smtp_account(mail_server, **{field: spelling})
            answer = client.call("POST", "/sender-accounts/smtp", body)
            assert answer.status == 422, (spelling, answer.body)
            assert field in answer.body.decode()
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0


def test_checks_of_one_address_share_its_bound_whatever_the_name(
    runtime: LocalRuntime,
    mail_server: MailServer,
    slow_server: tuple[DelayProxy, DelayProxy],
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("MAX_CONNECTIONS_PER_MAIL_HOST", "2")
    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
    client = workspace()
    inboxes = [
        create_inbox(client, mail_server, **_through(slow_server, host, n))
        for n, host in enumerate(SAME_ADDRESS * 2)
    ]
    created = {i: client.call("GET", f"/sender-accounts/{i}").json() for i in inboxes}
    services = [proxy.counter for proxy in slow_server]
    for sessions in services:
        sessions.reset()
    _make_due(client.workspace_id, inboxes)
    _sweep(runtime)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        seen = {i: client.call("GET", f"/sender-accounts/{i}").json() for i in inboxes}
        if all(seen[i]["last_checked_at"] != created[i]["last_checked_at"] for i in inboxes):
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the due inboxes were not all checked")
    # One connection a check on each service, two at most on each: two checks at a time,
    # though the names gave four keys to a bound kept per name (eight at once before)
    for sessions in services:
        assert sessions.connections == len(inboxes)
        assert sessions.peak == 2


def test_validations_of_one_address_have_their_own_bound_and_a_request_over_it_gets_429(
    mail_server: MailServer,
    slow_server: tuple[DelayProxy, DelayProxy],
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("MAX_VALIDATION_CONNECTIONS_PER_ADDRESS", "2")
    client = workspace()
    services = [proxy.counter for proxy in slow_server]
    for sessions in services:
        sessions.reset()
    bodies = [
        smtp_account(mail_server, **_through(slow_server, host, n))
        for n, host in enumerate(SAME_ADDRESS * 2)
    ]
    with ThreadPoolExecutor(len(bodies)) as pool:
        answers = list(pool.map(lambda b: client.call("POST", "/sender-accounts/smtp", b), bodies))
    created = [a for a in answers if a.status == 201]
    busy = [a for a in answers if a.status != 201]
    assert created, [a.body for a in answers]
    for answer in busy:
        assert answer.status == 429, answer.body
        assert answer.json()["error_code"] == "MAIL_HOST_BUSY"
        assert int(answer.headers["Retry-After"]) >= 1
    # Two validations at a time on each service; a refused request changed nothing
    assert [sessions.peak for sessions in services] == [2, 2]
    total = client.call("GET", "/sender-accounts").json()["pagination"]["total"]
    assert total == len(created)


def _early_in_a_minute(needed: float) -> None:
    """The workspace's budget is counted by the minute: start where `needed` seconds fit."""
    if time.time() % 60 > 60 - needed:
        time.sleep(60 - time.time() % 60 + 0.2)


def test_a_workspace_over_its_connections_per_minute_gets_429_and_others_do_not(
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("MAIL_CONNECTIONS_PER_WORKSPACE_PER_MINUTE", "4")
    busy, other = workspace(), workspace()
    _early_in_a_minute(20)
    for n in range(2):  # two connections a validation
        create_inbox(busy, mail_server, email_address=f"m{n}@acme.test")
    over = busy.call(
        "POST", "/sender-accounts/smtp", smtp_account(mail_server, email_address="m9@acme.test")
    )
    assert over.status == 429, over.body
    assert over.json()["error_code"] == "MAIL_CONNECTION_LIMIT"
    assert 1 <= int(over.headers["Retry-After"]) <= 60
    assert busy.call("GET", "/sender-accounts").json()["pagination"]["total"] == 2
    # A test email is a mail connection too
    inbox_id = busy.call("GET", "/sender-accounts").json()["sender_accounts"][0]["inbox_id"]
    sent = busy.call(
        "POST", f"/sender-accounts/{inbox_id}/test-email", {"recipient_email": "x@example.test"}
    )
    assert sent.status == 429, sent.body
    # Another workspace has its own minute
    create_inbox(other, mail_server, email_address="m0@acme.test")


def test_queued_rows_over_the_minute_wait_for_the_next_one_instead_of_failing(
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("MAIL_CONNECTIONS_PER_WORKSPACE_PER_MINUTE", "4")
    client = workspace()
    # Late in a minute, so the rows put back come back within seconds, not a minute
    while not 48 <= time.time() % 60 <= 52:
        time.sleep(0.5)
    rows = [smtp_account(mail_server, email_address=f"q{n}@acme.test") for n in range(3)]
    started = time.time()
    accepted = client.call("POST", "/sender-accounts/smtp/bulk", {"inboxes": rows})
    assert accepted.status == 202, accepted.body
    job = finished_job(client, f"/sender-accounts/smtp/bulk/{accepted.json()['job_id']}/progress")
    assert job["status"] == "COMPLETED", job
    assert (job["success_count"], job["failed_count"]) == (3, 0), job
    # Two rows fit this minute's four connections; the third went on in the next minute
    assert time.time() // 60 > started // 60
