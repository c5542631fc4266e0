"""Attacks on stored secrets, over HTTP against the real Dovecot and listeners an attacker runs:
moving an inbox's endpoint to steal its password, servers that echo the client's commands,
user names that break IMAP syntax, banners on non-mail ports, translated IPv6 addresses."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from tests.support.hostile_servers import (
    Recording,
    imap_banner,
    imap_echoing_login,
    recording_imap,
    recording_smtp,
    smtp_echoing_auth,
)
from tests.support.inboxes import create_inbox
from tests.support.misbehaving_servers import misbehaving_server
from tests.support.stack import (
    MAILBOX_PASSWORD,
    MAILBOX_USER,
    ODD_PASSWORD,
    ODD_USER,
    ApiClient,
    smtp_account,
)


def _password_spellings(password: str) -> list[str]:
    return [password, base64.b64encode(password.encode()).decode()]


# Finding 1: the stored password goes only where it was validated -------------------------

LISTENER = object()  # stands for the attacker's listener port


@pytest.mark.parametrize(
    ("protocol", "move"),
    [
        ("smtp", {"smtp_host": "127.0.0.1", "smtp_port": LISTENER, "smtp_security": "none"}),
        ("smtp", {"smtp_username": "attacker@evil.test"}),
        ("smtp", {"smtp_security": "none"}),
        ("imap", {"imap_host": "127.0.0.1", "imap_port": LISTENER, "imap_security": "none"}),
        ("imap", {"imap_username": "attacker@evil.test"}),
        ("imap", {"imap_use_ssl": False}),
    ],
)
def test_moving_an_endpoint_without_its_password_sends_nothing(
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    protocol: str,
    move: dict[str, Any],
) -> None:
    # Given an inbox validated against Dovecot, and a listener the attacker runs
    client = workspace()
    inbox_id = create_inbox(client, mail_server)
    before = client.call("GET", f"/sender-accounts/{inbox_id}").json()
    recording = Recording()
    behaviour = recording_smtp(recording) if protocol == "smtp" else recording_imap(recording)
    with misbehaving_server(behaviour) as port:
        # When a write key points the inbox at it (and drops TLS) without the password
        patch = {name: port if value is LISTENER else value for name, value in move.items()}
        response = client.call("PATCH", f"/sender-accounts/{inbox_id}", patch)
    # Then 422 names the missing password, nothing connected, nothing changed
    assert response.status == 422, response.body
    assert response.json()["detail"][0]["loc"] == ["body", f"{protocol}_password"]
    assert recording.connections == 0
    assert MAILBOX_PASSWORD.encode() not in recording.received
    after = client.call("GET", f"/sender-accounts/{inbox_id}").json()
    assert after == before


def test_moving_an_endpoint_with_a_new_password_sends_only_that_one(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    # Given an inbox, and a listener
    client = workspace()
    inbox_id = create_inbox(client, mail_server)
    recording = Recording()
    with misbehaving_server(recording_smtp(recording)) as port:
        # When the SMTP endpoint moves there with a password given in the same request
        patch = {
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_security": "none",
            "smtp_password": "a-new-password-for-the-new-server",
        }
        response = client.call("PATCH", f"/sender-accounts/{inbox_id}", patch)
    # Then the listener sees the new password only, never the stored one
    assert response.status == 200, response.body
    assert recording.connections == 1
    sent = bytes(recording.received)
    assert all(s.encode() not in sent for s in _password_spellings(MAILBOX_PASSWORD))
    plain = base64.b64encode(b"\0" + MAILBOX_USER.encode() + b"\0a-new-password-for-the-new-server")
    assert plain in sent


def test_unchanged_endpoint_fields_need_no_password(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    inbox_id = create_inbox(client, mail_server)
    # Same host, port, user and effective mode: STARTTLS on this port either way
    same = {"smtp_host": "localhost", "smtp_use_tls": True, "imap_use_ssl": True}
    response = client.call("PATCH", f"/sender-accounts/{inbox_id}", same)
    assert response.status == 200, response.body
    assert response.json()["overall_status"] == "ACTIVE"


def test_a_new_host_meets_the_outbound_rule_before_anything_is_sent(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    inbox_id = create_inbox(client, mail_server)
    patch = {"smtp_host": "64:ff9b::a9fe:a9fe", "smtp_port": 587, "smtp_password": "x" * 12}
    response = client.call("PATCH", f"/sender-accounts/{inbox_id}", patch)
    assert response.status == 400, response.body
    assert response.json()["error_code"] == "HOST_NOT_ALLOWED"
    assert response.json()["stage"] == "smtp"


# Finding 3: addresses embedded in IPv6 translation prefixes ------------------------------


@pytest.mark.parametrize(
    "host",
    ["64:ff9b::a00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1", "::a00:1", "::ffff:0:a9fe:a9fe"],
)
def test_translated_ipv6_addresses_of_private_networks_are_refused(
    mail_server: MailServer, workspace: Callable[..., ApiClient], host: str
) -> None:
    client = workspace()
    request = smtp_account(mail_server, smtp_host=host, smtp_port=587)
    response = client.call("POST", "/sender-accounts/smtp", request)
    assert response.status == 400, response.body
    failed = {e["stage"]: e["error_code"] for e in response.json()["errors"]}
    assert failed == {"smtp": "HOST_NOT_ALLOWED"}


# Finding 5: hostile servers echoing the client's own commands ----------------------------


@pytest.mark.parametrize("password", ['pass"word\\9', "x", "shortpw", "a-long-enough-password"])
def test_smtp_server_echoing_auth_plain_shows_no_secret(
    mail_server: MailServer, workspace: Callable[..., ApiClient], password: str
) -> None:
    client = workspace()
    with misbehaving_server(smtp_echoing_auth) as port:
        request = smtp_account(
            mail_server, smtp_port=port, smtp_security="none", smtp_password=password
        )
        response = client.call("POST", "/sender-accounts/smtp", request)
    assert response.status == 400, response.body
    smtp = next(e for e in response.json()["errors"] if e["stage"] == "smtp")
    assert smtp["error_code"] == "AUTH_FAILED"
    blob = base64.b64encode(b"\0" + MAILBOX_USER.encode() + b"\0" + password.encode()).decode()
    assert blob not in smtp["server_reply"]
    assert "AUTH PLAIN ********" in smtp["server_reply"]


@pytest.mark.parametrize(
    ("capabilities", "echoed"),
    [
        (b"IMAP4rev1 AUTH=PLAIN SASL-IR", "AUTHENTICATE PLAIN ********"),
        (b"IMAP4rev1", 'LOGIN "outreach@acme.test" ********'),
    ],
)
def test_imap_server_echoing_login_shows_no_secret(
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    capabilities: bytes,
    echoed: str,
) -> None:
    client = workspace()
    password = 'pass"word'
    with misbehaving_server(imap_echoing_login(capabilities)) as port:
        request = smtp_account(
            mail_server, imap_port=port, imap_security="none", imap_password=password
        )
        response = client.call("POST", "/sender-accounts/smtp", request)
    assert response.status == 400, response.body
    imap = next(e for e in response.json()["errors"] if e["stage"] == "imap")
    assert imap["error_code"] == "AUTH_FAILED"
    reply = imap["server_reply"]
    assert 'pass\\"word' not in reply
    assert "pass" not in reply
    assert echoed in reply


def test_a_one_character_password_does_not_mangle_other_text(
    workspace: Callable[..., ApiClient],
) -> None:
    client = workspace()
    request = {
        "email_address": "x@acme.test", "display_name": "X", "inbox_type": "CUSTOM_SMTP",
        "smtp_host": "nonexistent.invalid", "smtp_port": 587, "smtp_username": "x",
        "smtp_password": "x", "imap_host": "nonexistent.invalid", "imap_port": 993,
        "imap_username": "x", "imap_password": "x",
    }  # fmt: skip
    response = client.call("POST", "/sender-accounts/smtp", request)
    assert response.status == 400, response.body
    assert "nonexistent.invalid" in response.json()["detail"]


# Finding 7: user names that need quoting on the IMAP wire --------------------------------


def test_odd_user_names_log_in_against_dovecot(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    request = smtp_account(
        mail_server,
        smtp_username=ODD_USER,
        smtp_password=ODD_PASSWORD,
        imap_username=ODD_USER,
        imap_password=ODD_PASSWORD,
    )
    response = client.call("POST", "/sender-accounts/smtp", request)
    assert response.status == 201, response.body
    assert response.json()["overall_status"] == "ACTIVE"


def test_login_without_auth_plain_quotes_both_arguments(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    recording = Recording()
    with misbehaving_server(recording_imap(recording)) as port:
        request = smtp_account(
            mail_server,
            imap_port=port,
            imap_security="none",
            imap_username="sp ace (x) {5}",
            imap_password='a"b\\c',
        )
        client.call("POST", "/sender-accounts/smtp", request)
    first = bytes(recording.received).split(b"\r\n")[0]
    assert first.split(b" ", 1)[1] == b'LOGIN "sp ace (x) {5}" "a\\"b\\\\c"'


@pytest.mark.parametrize("field", ["imap_username", "smtp_username", "imap_password"])
@pytest.mark.parametrize("bad", ["a\x00b", "a\rb", "a\nb", "a\x1bb", "a\u2028b"])
def test_control_characters_in_credentials_are_refused(
    mail_server: MailServer, workspace: Callable[..., ApiClient], field: str, bad: str
) -> None:
    client = workspace()
    response = client.call(
        "POST", "/sender-accounts/smtp", smtp_account(mail_server, **{field: bad})
    )
    assert response.status == 422, response.body
    assert ["body", field] in [p["loc"] for p in response.json()["detail"]]
    assert bad not in response.body.decode()


# Finding 9: other services on mail ports (the port list is covered in tests/unit, which never
# dials: a public address here would leave loopback if the rule regressed)


def test_a_non_smtp_banner_is_never_echoed(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    with misbehaving_server(imap_banner) as port:
        request = smtp_account(mail_server, smtp_port=port, smtp_security="none")
        response = client.call("POST", "/sender-accounts/smtp", request)
    assert response.status == 400, response.body
    assert "db-3.corp" not in response.body.decode()
    smtp = next(e for e in response.json()["errors"] if e["stage"] == "smtp")
    assert smtp["error_code"] == "CONNECTION_FAILED"
    assert "server_reply" not in smtp
