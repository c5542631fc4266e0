"""Connecting a mailbox against a real Dovecot: success, and every failure class for real."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from local_stack.ports import free_port
from tests.support.silent_server import silent_server
from tests.support.stack import MAILBOX_PASSWORD, ApiClient, smtp_account


def assert_nothing_stored(client: ApiClient, email_address: str) -> None:
    from sender_accounts.composition import repository

    listed = client.call("GET", "/sender-accounts", query={"search": email_address})
    assert listed.status == 200
    assert listed.json()["pagination"]["total"] == 0
    assert not repository.get().address_taken(client.workspace_id, email_address)


def test_good_account_is_created_and_read_back(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    # Given a workspace and a mailbox on the test Dovecot
    client = workspace()
    request = smtp_account(
        mail_server,
        reply_to="replies@acme.test",
        # its own pool: alone, it warms with nobody (no mail of the session's other tests)
        warmup={"enabled": True, "emails_per_day": 10, "pool": "workspace"},
    )
    # When it is connected
    created = client.call("POST", "/sender-accounts/smtp", request)
    # Then it is active and reads back with every field but the passwords
    assert created.status == 201, created.body
    body = created.json()
    assert body["success"] is True
    assert body["message"] == "SMTP inbox created successfully"
    assert body["overall_status"] == "ACTIVE"
    assert body["created_at"].endswith("Z")
    fetched = client.call("GET", f"/sender-accounts/{body['inbox_id']}")
    assert fetched.status == 200
    detail = fetched.json()
    assert detail["email_address"] == request["email_address"]
    assert detail["smtp_port"] == mail_server.submission_starttls_port
    assert detail["health_score"] == 100
    assert detail["connection_errors"] == []
    assert detail["reply_to"] == "replies@acme.test"
    assert detail["warmup"]["emails_per_day"] == 10
    assert "smtp_password" not in detail
    assert "imap_password" not in detail
    assert MAILBOX_PASSWORD not in fetched.body.decode()


def test_implicit_tls_submission_and_imap_starttls(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    request = smtp_account(
        mail_server,
        smtp_port=mail_server.submissions_port,
        smtp_security="ssl",
        imap_port=mail_server.imap_starttls_port,
        imap_security="starttls",
    )
    created = client.call("POST", "/sender-accounts/smtp", request)
    assert created.status == 201, created.body


def test_legacy_create_path_is_the_same_operation(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    created = client.call("POST", "/sender-accounts", smtp_account(mail_server))
    assert created.status == 201, created.body


def _failure(client: ApiClient, request: dict[str, Any]) -> dict[str, Any]:
    response = client.call("POST", "/sender-accounts/smtp", request)
    assert response.status == 400, response.body
    body = response.json()
    assert MAILBOX_PASSWORD not in response.body.decode()
    assert_nothing_stored(client, request["email_address"])
    return dict(body)


def test_wrong_smtp_password(mail_server: MailServer, workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    body = _failure(client, smtp_account(mail_server, smtp_password="not-the-password"))
    assert body["error_code"] == "AUTH_FAILED"
    assert body["stage"] == "smtp"
    assert body["detail"] == "SMTP connection failed: Authentication failed"
    assert body["server_reply"].startswith("535")
    assert [e["stage"] for e in body["errors"]] == ["smtp"]


def test_wrong_imap_password(mail_server: MailServer, workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    body = _failure(client, smtp_account(mail_server, imap_password="not-the-password"))
    assert body["error_code"] == "AUTH_FAILED"
    assert body["stage"] == "imap"
    assert "AUTHENTICATIONFAILED" in body["server_reply"]


def test_closed_port(mail_server: MailServer, workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    body = _failure(client, smtp_account(mail_server, smtp_port=free_port()))
    assert body["error_code"] == "CONNECTION_FAILED"
    assert body["stage"] == "smtp"


def test_server_that_never_speaks(
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("MAIL_STEP_TIMEOUT_SECONDS", "1")
    client = workspace()
    with silent_server() as port:
        body = _failure(client, smtp_account(mail_server, imap_port=port))
    assert body["error_code"] == "TIMEOUT"
    assert body["stage"] == "imap"


def test_unresolvable_host(mail_server: MailServer, workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    body = _failure(client, smtp_account(mail_server, smtp_host="no-such-host.invalid"))
    assert body["error_code"] == "HOST_NOT_FOUND"


def test_untrusted_certificate(
    mail_server: MailServer, workspace: Callable[..., ApiClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The platform's own trust store does not know the test CA.
    monkeypatch.setenv("SSL_CERT_FILE", ssl.get_default_verify_paths().openssl_cafile)
    client = workspace()
    body = _failure(client, smtp_account(mail_server))
    assert body["error_code"] == "SSL_ERROR"
    assert "certificate" in body["detail"].lower()
    assert {e["stage"] for e in body["errors"]} == {"smtp", "imap"}


def test_tls_spoken_to_plaintext_port(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    request = smtp_account(mail_server, smtp_security="ssl")  # port is the STARTTLS one
    body = _failure(client, request)
    assert body["error_code"] == "SSL_ERROR"
    assert body["stage"] == "smtp"


def test_private_address_with_empty_allow_list(
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("ALLOWED_PRIVATE_NETWORKS", "")
    client = workspace()
    body = _failure(client, smtp_account(mail_server, smtp_host="127.0.0.1", imap_host="127.0.0.1"))
    assert body["error_code"] == "HOST_NOT_ALLOWED"
    assert {e["error_code"] for e in body["errors"]} == {"HOST_NOT_ALLOWED"}


def test_store_policy_keeps_a_disabled_inbox(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    request = smtp_account(mail_server, smtp_password="wrong", on_validation_failure="store")
    created = client.call("POST", "/sender-accounts/smtp", request)
    assert created.status == 201, created.body
    assert created.json()["overall_status"] == "DISABLED"
    detail = client.call("GET", f"/sender-accounts/{created.json()['inbox_id']}").json()
    assert [e["error_code"] for e in detail["connection_errors"]] == ["AUTH_FAILED"]
    assert detail["health_score"] == 0


def test_suspended_account_is_created_paused(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    created = client.call(
        "POST", "/sender-accounts/smtp", smtp_account(mail_server, suspended=True)
    )
    assert created.status == 201
    assert created.json()["overall_status"] == "PAUSED"


def test_duplicate_address_is_409_case_insensitively(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    assert client.call("POST", "/sender-accounts/smtp", smtp_account(mail_server)).status == 201
    again = smtp_account(mail_server, email_address="OUTREACH@Acme.test")
    response = client.call("POST", "/sender-accounts/smtp", again)
    assert response.status == 409
    assert response.json()["error_code"] == "DUPLICATE"
