"""Beyond Dovecot: a Postfix submission server with Cyrus SASL (STARTTLS-only AUTH, implicit
TLS on a non-standard port, senders bound to their logins) and GNU Mailutils' imap4d (STARTTLS
required, implicit TLS), both from Debian's packages, configured as hosting providers run them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from local_stack.pki import ServerPki
from tests.support.imap4d_server import Imap4dServer, imap4d_installed, start_imap4d
from tests.support.postfix_server import (
    REFUSED_RECIPIENT,
    PostfixServer,
    postfix_installed,
    start_postfix,
)
from tests.support.stack import IN_CI, MAILBOX_PASSWORD, MAILBOX_USER, ApiClient
from tests.support.tap_proxy import tap

SECOND_USER = "second@acme.test"  # a login of its own: it may not send as MAILBOX_USER


def _require(installed: bool, what: str) -> None:
    if not installed:
        message = f"{what} is not installed (make test installs it on Debian)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def postfix(pki: ServerPki) -> Iterator[PostfixServer]:
    _require(postfix_installed(), "Postfix with Cyrus SASL")
    server = start_postfix(pki, {MAILBOX_USER: MAILBOX_PASSWORD, SECOND_USER: MAILBOX_PASSWORD})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def imap4d(pki: ServerPki) -> Iterator[Imap4dServer]:
    _require(imap4d_installed(), "GNU Mailutils imap4d")
    server = start_imap4d(pki, {MAILBOX_USER: MAILBOX_PASSWORD, SECOND_USER: MAILBOX_PASSWORD})
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def trusted(pki: ServerPki, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_cert))


def _body(postfix: PostfixServer, imap4d: Imap4dServer, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email_address": MAILBOX_USER,
        "display_name": "Outreach",
        "inbox_type": "CUSTOM_SMTP",
        "smtp_host": "localhost",
        "smtp_port": postfix.starttls_port,
        "smtp_username": MAILBOX_USER,
        "smtp_password": MAILBOX_PASSWORD,
        "smtp_use_tls": True,
        "imap_host": "localhost",
        "imap_port": imap4d.implicit_tls_port,
        "imap_username": MAILBOX_USER,
        "imap_password": MAILBOX_PASSWORD,
        "imap_use_ssl": True,
    }
    body.update(overrides)
    return body


def _create(client: ApiClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.call("POST", "/sender-accounts/smtp", body)
    return {"status": response.status, **response.json()}


def test_the_standard_combinations_validate(
    postfix: PostfixServer, imap4d: Imap4dServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    created = _create(client, _body(postfix, imap4d))
    assert (created["status"], created["overall_status"]) == (201, "ACTIVE"), created
    # Implicit TLS on a non-standard port, said explicitly
    explicit = _body(postfix, imap4d, smtp_port=postfix.implicit_tls_port, smtp_security="ssl")
    assert _create(workspace(), explicit)["overall_status"] == "ACTIVE"


def test_starttls_required_imap_with_the_flag_off_upgrades_and_keeps_the_password_secret(
    postfix: PostfixServer, imap4d: Imap4dServer, workspace: Callable[..., ApiClient]
) -> None:
    with tap("127.0.0.1", imap4d.starttls_port) as wiretap:
        body = _body(postfix, imap4d, imap_port=wiretap.port, imap_use_ssl=False)
        created = _create(workspace(), body)
        assert (created["status"], created["overall_status"]) == (201, "ACTIVE"), created
        assert MAILBOX_PASSWORD.encode() not in wiretap.client_bytes
        assert b"STARTTLS" in wiretap.client_bytes


def test_wrong_passwords_are_auth_failed_with_each_servers_reply(
    postfix: PostfixServer, imap4d: Imap4dServer, workspace: Callable[..., ApiClient]
) -> None:
    body = _body(postfix, imap4d, smtp_password="wrong-one", imap_password="wrong-two")
    failed = _create(workspace(), body)
    assert failed["status"] == 400
    by_stage = {e["stage"]: e for e in failed["errors"]}
    assert by_stage["smtp"]["error_code"] == "AUTH_FAILED"
    assert by_stage["smtp"]["server_reply"].startswith("535 5.7.8")
    assert by_stage["imap"]["error_code"] == "AUTH_FAILED"
    assert "rejected" in by_stage["imap"]["server_reply"]


def test_explicit_cleartext_on_tls_only_ports_is_ssl_error_and_no_password_is_sent(
    postfix: PostfixServer, imap4d: Imap4dServer, workspace: Callable[..., ApiClient]
) -> None:
    failed = _create(workspace(), _body(postfix, imap4d, smtp_security="none"))
    assert (failed["status"], failed["error_code"], failed["stage"]) == (400, "SSL_ERROR", "smtp")
    assert "smtp_security" in failed["hint"]
    # imap4d requires STARTTLS (it says XTLSREQUIRED, not LOGINDISABLED)
    with tap("127.0.0.1", imap4d.starttls_port) as wiretap:
        body = _body(postfix, imap4d, imap_port=wiretap.port, imap_security="none")
        failed = _create(workspace(), body)
        assert (failed["status"], failed["error_code"]) == (400, "SSL_ERROR"), failed
        assert failed["stage"] == "imap"
        assert MAILBOX_PASSWORD.encode() not in wiretap.client_bytes


def test_a_test_email_goes_through_postfix_and_a_refused_recipient_says_so(
    postfix: PostfixServer, imap4d: Imap4dServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    inbox_id = _create(client, _body(postfix, imap4d))["inbox_id"]
    path = f"/sender-accounts/{inbox_id}/test-email"
    sent = client.call("POST", path, {"recipient_email": "prospect@example.test"})
    assert sent.status == 200, sent.body
    refused = client.call("POST", path, {"recipient_email": REFUSED_RECIPIENT})
    assert refused.status == 400, refused.body
    body = refused.json()
    assert body["error_code"] == "RECIPIENT_REJECTED", body
    assert body["server_reply"].startswith("554 5.1.1")


def test_a_sender_the_server_refuses_is_sender_rejected_and_nothing_is_stored(
    postfix: PostfixServer, imap4d: Imap4dServer, workspace: Callable[..., ApiClient]
) -> None:
    # SECOND_USER's login may not send as MAILBOX_USER (reject_sender_login_mismatch)
    client = workspace()
    body = _body(postfix, imap4d, smtp_username=SECOND_USER, imap_username=SECOND_USER)
    refused = _create(client, body)
    assert (refused["status"], refused["error_code"], refused["stage"]) == (
        400, "SENDER_REJECTED", "smtp",
    ), refused  # fmt: skip
    assert refused["server_reply"].startswith("553 5.7.1")
    assert "Sender address rejected" in refused["server_reply"]
    assert refused["hint"]
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0
    # Asked at RCPT, and refused there: nothing was queued (NOQUEUE)
    assert "NOQUEUE: reject: RCPT" in postfix.log
    assert "Sender address rejected: not owned by user second@acme.test" in postfix.log


def test_implicit_tls_on_a_non_standard_port_is_detected_and_remembered(
    postfix: PostfixServer, imap4d: Imap4dServer, workspace: Callable[..., ApiClient]
) -> None:
    # ColdSend's fields say STARTTLS (smtp_use_tls on a port other than 465); the server speaks
    # implicit TLS and sends no greeting in clear: a TLS handshake on a new connection works.
    client = workspace()
    body = _body(postfix, imap4d, smtp_port=postfix.implicit_tls_port)
    started = time.monotonic()
    created = _create(client, body)
    elapsed = time.monotonic() - started
    assert (created["status"], created["overall_status"]) == (201, "ACTIVE"), created
    assert elapsed < 8, f"detection took {elapsed:.1f} s (a timeout is 10 s)"
    shown = client.call("GET", f"/sender-accounts/{created['inbox_id']}").json()
    assert (shown["smtp_security"], shown["imap_security"]) == ("ssl", None)


def test_a_plaintext_greeting_where_implicit_tls_was_assumed_upgrades_with_starttls(
    postfix: PostfixServer, imap4d: Imap4dServer, workspace: Callable[..., ApiClient]
) -> None:
    # imap_use_ssl on a port other than 143 means implicit TLS; this port speaks plaintext
    client = workspace()
    with tap("127.0.0.1", imap4d.starttls_port) as wiretap:
        created = _create(client, _body(postfix, imap4d, imap_port=wiretap.port))
        assert (created["status"], created["overall_status"]) == (201, "ACTIVE"), created
        assert MAILBOX_PASSWORD.encode() not in wiretap.client_bytes
    shown = client.call("GET", f"/sender-accounts/{created['inbox_id']}").json()
    assert shown["imap_security"] == "starttls"


def test_a_server_slow_to_greet_gets_the_whole_wait_and_is_remembered(
    postfix: PostfixServer,
    imap4d: Imap4dServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    # A greeting later than the detection window: implicit TLS is tried and answered in clear,
    # so the server is slow, not TLS. Its mode is stored, and the next check waits for it at
    # once on one connection instead of three.
    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
    client = workspace()
    with tap("127.0.0.1", postfix.starttls_port) as wiretap:
        wiretap.greeting_delay = 2.0
        created = _create(client, _body(postfix, imap4d, smtp_port=wiretap.port))
        assert (created["status"], created["overall_status"]) == (201, "ACTIVE"), created
        assert wiretap.connections == 3
        inbox = f"/sender-accounts/{created['inbox_id']}"
        assert client.call("GET", inbox).json()["smtp_security"] == "starttls"
        checked = client.call("POST", f"{inbox}/check").json()
        assert (checked["overall_status"], checked["smtp"]["ok"]) == ("ACTIVE", True), checked
        assert wiretap.connections == 4


def test_an_explicit_mode_is_never_second_guessed(
    postfix: PostfixServer,
    imap4d: Imap4dServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("MAIL_STEP_TIMEOUT_SECONDS", "3")
    body = _body(postfix, imap4d, smtp_port=postfix.implicit_tls_port, smtp_security="starttls")
    failed = _create(workspace(), body)
    assert (failed["status"], failed["error_code"], failed["stage"]) == (400, "TIMEOUT", "smtp")


def test_a_check_finds_the_mode_a_provider_moved_to_and_stores_it(
    postfix: PostfixServer,
    imap4d: Imap4dServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
    client = workspace()
    with tap("127.0.0.1", postfix.starttls_port) as wiretap:
        created = _create(client, _body(postfix, imap4d, smtp_port=wiretap.port))
        assert created["overall_status"] == "ACTIVE", created
        inbox = f"/sender-accounts/{created['inbox_id']}"
        assert client.call("GET", inbox).json()["smtp_security"] is None  # STARTTLS by the rule
        # The provider moves the port to implicit TLS
        wiretap.target = ("127.0.0.1", postfix.implicit_tls_port)
        checked = client.call("POST", f"{inbox}/check").json()
        assert (checked["overall_status"], checked["smtp"]["ok"]) == ("ACTIVE", True), checked
    assert client.call("GET", inbox).json()["smtp_security"] == "ssl"
