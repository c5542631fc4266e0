"""Checking a stored mailbox again, against the real Dovecot: disconnect and reconnect, the
failure count, concurrent checks, the minimum interval, and what each answer shows."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from local_stack.runtime import LocalRuntime
from tests.support.bus_tap import BusTap, bus_tap
from tests.support.delay_proxy import DelayProxy
from tests.support.inboxes import create_inbox
from tests.support.mail_servers import set_password
from tests.support.stack import MAILBOX_PASSWORD, MONITORED_USER, ApiClient
from tests.support.switch_proxy import switch_proxy

CHANGED_PASSWORD = "a-new-password-set-by-the-admin"


def monitored(server: MailServer, **overrides: Any) -> dict[str, Any]:
    """An inbox on the user whose password these tests change."""
    return {
        "smtp_username": MONITORED_USER,
        "imap_username": MONITORED_USER,
        "email_address": MONITORED_USER,
        **overrides,
    }


@pytest.fixture
def changed_password(mail_server: MailServer) -> Iterator[Callable[[str], None]]:
    """Change the monitored user's password in Dovecot; always restored afterwards."""
    yield lambda password: set_password(mail_server, MONITORED_USER, password)
    set_password(mail_server, MONITORED_USER, MAILBOX_PASSWORD)


@pytest.fixture
def every_check_connects(settings_env: Callable[[str, str], None]) -> None:
    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")


def check(client: ApiClient, inbox_id: str) -> dict[str, Any]:
    response = client.call("POST", f"/sender-accounts/{inbox_id}/check")
    assert response.status == 200, response.body
    return dict(response.json())


def tap_for(client: ApiClient) -> BusTap:
    return bus_tap(f"health-{client.workspace_id[-12:]}")


def test_revoked_password_disconnects_at_once_and_its_return_reconnects(
    runtime: LocalRuntime,
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    changed_password: Callable[[str], None],
    every_check_connects: None,
) -> None:
    # Given an ACTIVE inbox and a subscriber on the bus
    client = workspace()
    tap = tap_for(client)
    inbox_id = create_inbox(client, mail_server, **monitored(mail_server))
    healthy = check(client, inbox_id)
    assert healthy["overall_status"] == "ACTIVE"
    assert healthy["smtp"]["ok"] is True
    assert healthy["imap"]["ok"] is True
    # When the mailbox's password is changed at the provider
    changed_password(CHANGED_PASSWORD)
    lost = check(client, inbox_id)
    # Then one check disables it, with the server's own refusal and no secret
    assert lost["overall_status"] == "DISABLED"
    assert lost["smtp"]["error_code"] == "AUTH_FAILED"
    assert lost["smtp"]["server_reply"].startswith("535")
    assert lost["imap"]["error_code"] == "AUTH_FAILED"
    assert lost["consecutive_failures"] == 1
    assert lost["health_score"] < healthy["health_score"]
    detail = client.call("GET", f"/sender-accounts/{inbox_id}").json()
    assert detail["disconnected_at"] == lost["checked_at"]
    assert detail["smtp_status"]["error_code"] == "AUTH_FAILED"
    assert detail["last_success_at"] == healthy["checked_at"]
    # When the password is restored and the inbox checked again
    changed_password(MAILBOX_PASSWORD)
    back = check(client, inbox_id)
    assert back["overall_status"] == "ACTIVE"
    assert back["consecutive_failures"] == 0
    assert client.call("GET", f"/sender-accounts/{inbox_id}").json()["disconnected_at"] is None
    # And the bus saw exactly one disconnection and one reconnection, without secrets
    tap.settled()
    disconnected = tap.of_type("SenderAccountDisconnected", inbox_id)
    reconnected = tap.of_type("SenderAccountReconnected", inbox_id)
    assert len(disconnected) == 1
    assert len(reconnected) == 1
    assert disconnected[0]["detail"]["error_code"] == "AUTH_FAILED"
    assert disconnected[0]["detail"]["stage"] in {"smtp", "imap"}
    assert disconnected[0]["detail"]["server_reply"]
    published = json.dumps(tap.seen)
    assert MAILBOX_PASSWORD not in published
    assert CHANGED_PASSWORD not in published


def test_a_server_that_stops_answering_disables_at_the_third_failed_check(
    runtime: LocalRuntime,
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    every_check_connects: None,
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("MAIL_STEP_TIMEOUT_SECONDS", "1")
    client = workspace()
    tap = tap_for(client)
    with (
        switch_proxy(mail_server.submission_starttls_port) as smtp,
        switch_proxy(mail_server.imaps_port) as imap,
    ):
        inbox_id = create_inbox(client, mail_server, smtp_port=smtp.port, imap_port=imap.port)
        smtp.answering = imap.answering = False
        statuses = []
        for _ in range(3):
            answer = check(client, inbox_id)
            assert answer["smtp"]["error_code"] == "TIMEOUT"
            statuses.append((answer["overall_status"], answer["consecutive_failures"]))
        assert statuses == [("ACTIVE", 1), ("ACTIVE", 2), ("DISABLED", 3)]
        # A server that answers again brings the inbox back
        smtp.answering = imap.answering = True
        assert check(client, inbox_id)["overall_status"] == "ACTIVE"
    tap.settled()
    assert len(tap.of_type("SenderAccountDisconnected", inbox_id)) == 1
    assert tap.of_type("SenderAccountDisconnected", inbox_id)[0]["detail"]["error_code"] == (
        "TIMEOUT"
    )
    assert len(tap.of_type("SenderAccountReconnected", inbox_id)) == 1


def test_concurrent_checks_make_one_transition_and_one_event(
    runtime: LocalRuntime,
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    changed_password: Callable[[str], None],
    every_check_connects: None,
) -> None:
    client = workspace()
    tap = tap_for(client)
    inbox_id = create_inbox(client, mail_server, **monitored(mail_server))
    changed_password(CHANGED_PASSWORD)
    answers: list[dict[str, Any]] = []
    start = threading.Barrier(4)

    def run() -> None:
        start.wait()
        answers.append(check(client, inbox_id))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {a["overall_status"] for a in answers} == {"DISABLED"}
    # Every check counted; one of them made the transition
    assert sorted(a["consecutive_failures"] for a in answers) == [1, 2, 3, 4]
    tap.settled()
    assert len(tap.of_type("SenderAccountDisconnected", inbox_id)) == 1
    assert len(tap.of_type("SenderAccountStatusChanged", inbox_id)) == 1


def test_a_repeated_check_within_the_minimum_interval_does_not_connect(
    runtime: LocalRuntime, mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    proxy = DelayProxy(mail_server.submission_starttls_port, 0).start()
    try:
        inbox_id = create_inbox(client, mail_server, smtp_port=proxy.port)
        first = check(client, inbox_id)
        connections = proxy.counter.connections
        again = check(client, inbox_id)
    finally:
        proxy.stop()
    assert first["cached"] is False
    assert again["cached"] is True
    assert proxy.counter.connections == connections  # nothing dialled
    assert again["checked_at"] == first["checked_at"]
    assert again["health_factors"] == first["health_factors"]


def test_checks_are_the_workspaces_own_and_need_write_scope(
    runtime: LocalRuntime, mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    owner, stranger = workspace(), workspace()
    inbox_id = create_inbox(owner, mail_server, email_address="own-check@acme.test")
    assert stranger.call("POST", f"/sender-accounts/{inbox_id}/check").status == 404
    reader = workspace(scopes=("sender_accounts:read",))
    assert reader.call("POST", f"/sender-accounts/{inbox_id}/check").status == 403
    unknown = "00000000-0000-4000-8000-000000000000"
    assert owner.call("POST", f"/sender-accounts/{unknown}/check").status == 404
    detail = owner.call("GET", f"/sender-accounts/{inbox_id}").json()
    assert detail["last_checked_at"] is None  # neither attempt checked anything


def test_a_check_shows_every_factor_with_its_weight(
    runtime: LocalRuntime, mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    inbox_id = create_inbox(client, mail_server, daily_limit=500)
    answer = check(client, inbox_id)
    factors = {f["factor"]: f for f in answer["health_factors"]}
    assert set(factors) == {
        "SMTP", "IMAP", "FAILURES", "MX", "SPF", "DMARC", "DKIM", "DAILY_LIMIT"
    }  # fmt: skip
    assert sum(f["weight"] for f in factors.values()) == 100
    # A new mailbox sending 500 a day is above the warm-up ramp (20 a day in week one)
    assert factors["DAILY_LIMIT"]["ok"] is False
    assert "20 recommended" in factors["DAILY_LIMIT"]["detail"]
    # No selector is known for a custom provider: DKIM is unknown, not failed
    assert factors["DKIM"]["ok"] is None
    assert answer["next_check_at"] > answer["checked_at"]
