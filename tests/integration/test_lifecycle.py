"""After connection: a real test email, the daily limit, settings, pause/resume, credentials."""

from __future__ import annotations

from collections.abc import Callable

from local_stack.mail_server import MailServer
from tests.support.inboxes import create_inbox, delivered
from tests.support.mail_servers import set_password
from tests.support.stack import MAILBOX_PASSWORD, MONITORED_USER, ApiClient


def test_test_email_arrives_with_proper_headers(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    # Given an inbox with SmartLead's reply-to, bcc and signature
    client = workspace()
    inbox_id = create_inbox(
        client,
        mail_server,
        display_name="Jane Roe",
        reply_to="replies@acme.test",
        bcc="archive@acme.test",
        signature="<b>Jane Roe</b>, Acme",
    )
    # When a test email is sent
    response = client.call(
        "POST",
        f"/sender-accounts/{inbox_id}/test-email",
        {"recipient_email": "prospect@example.test", "subject": "Hello", "body": "Line one"},
    )
    # Then the answer has the contract's fields and the message arrived as composed
    assert response.status == 200, response.body
    sent = response.json()
    assert sent["success"] is True
    assert sent["inbox_id"] == inbox_id
    assert sent["inbox_email"] == "outreach@acme.test"
    message = delivered(mail_server, sent["message_id"])
    assert message["From"] == "Jane Roe <outreach@acme.test>"
    assert message["To"] == "prospect@example.test"
    assert message["Subject"] == "Hello"
    assert message["Reply-To"] == "replies@acme.test"
    assert message["Date"]
    assert message["Bcc"] is None
    assert "archive@acme.test" in message["X-RcptTo"]
    html = [part for part in message.walk() if part.get_content_type() == "text/html"]
    payload = html[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert "<b>Jane Roe</b>, Acme" in payload.decode()
    detail = client.call("GET", f"/sender-accounts/{inbox_id}").json()
    assert detail["emails_sent_today"] == 1


def test_daily_limit_stops_the_next_send_with_429(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    inbox_id = create_inbox(client, mail_server, daily_limit=1)
    path = f"/sender-accounts/{inbox_id}/test-email"
    assert client.call("POST", path, {"recipient_email": "a@example.test"}).status == 200
    refused = client.call("POST", path, {"recipient_email": "a@example.test"})
    assert refused.status == 429
    assert refused.json()["error_code"] == "DAILY_LIMIT_REACHED"
    assert 0 < int(refused.headers["Retry-After"]) <= 86400
    assert client.call("GET", f"/sender-accounts/{inbox_id}").json()["emails_sent_today"] == 1


def test_send_with_broken_credentials_is_classified_and_not_counted(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    # An ACTIVE inbox whose password was changed at the provider since its last check
    client = workspace()
    monitored = {"smtp_username": MONITORED_USER, "imap_username": MONITORED_USER}
    inbox_id = create_inbox(client, mail_server, email_address=MONITORED_USER, **monitored)
    set_password(mail_server, MONITORED_USER, "wrong-now")
    try:
        response = client.call(
            "POST", f"/sender-accounts/{inbox_id}/test-email", {"recipient_email": "a@example.test"}
        )
    finally:
        set_password(mail_server, MONITORED_USER, MAILBOX_PASSWORD)
    assert response.status == 400
    assert response.json()["error_code"] == "AUTH_FAILED"
    assert MAILBOX_PASSWORD not in response.body.decode()
    assert client.call("GET", f"/sender-accounts/{inbox_id}").json()["emails_sent_today"] == 0


def test_an_inbox_that_is_not_active_sends_nothing(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    disabled = create_inbox(
        client, mail_server, smtp_password="wrong-now", on_validation_failure="store"
    )
    paused = create_inbox(client, mail_server, email_address="paused@acme.test", suspended=True)
    relayed = len(mail_server.relay.messages)
    for inbox_id, status in ((disabled, "DISABLED"), (paused, "PAUSED")):
        response = client.call(
            "POST", f"/sender-accounts/{inbox_id}/test-email", {"recipient_email": "a@example.test"}
        )
        assert response.status == 409, response.body
        assert response.json()["error_code"] == "INBOX_NOT_ACTIVE"
        assert status in response.json()["detail"]
        assert client.call("GET", f"/sender-accounts/{inbox_id}").json()["emails_sent_today"] == 0
    assert len(mail_server.relay.messages) == relayed


def test_pause_and_resume_round_trip(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    inbox_id = create_inbox(client, mail_server)
    paused = client.call("PATCH", f"/sender-accounts/{inbox_id}", {"status": "PAUSED"})
    assert paused.status == 200
    assert paused.json()["overall_status"] == "PAUSED"
    resumed = client.call("PATCH", f"/sender-accounts/{inbox_id}", {"status": "ACTIVE"})
    assert resumed.json()["overall_status"] == "ACTIVE"
    assert client.call("GET", f"/sender-accounts/{inbox_id}").json()["overall_status"] == "ACTIVE"


def test_bad_new_credentials_keep_the_old_working_ones(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    inbox_id = create_inbox(client, mail_server)
    refused = client.call("PATCH", f"/sender-accounts/{inbox_id}", {"smtp_password": "bad"})
    assert refused.status == 400
    assert refused.json()["error_code"] == "AUTH_FAILED"
    sent = client.call(
        "POST", f"/sender-accounts/{inbox_id}/test-email", {"recipient_email": "a@example.test"}
    )
    assert sent.status == 200, sent.body


def test_disabled_inbox_becomes_active_only_through_credentials_that_validate(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    inbox_id = create_inbox(
        client, mail_server, imap_password="stale", on_validation_failure="store"
    )
    path = f"/sender-accounts/{inbox_id}"
    refused = client.call("PATCH", path, {"status": "ACTIVE"})
    assert refused.status == 400
    assert refused.json()["error_code"] == "INVALID_STATUS_TRANSITION"
    fixed = client.call("PATCH", path, {"imap_password": MAILBOX_PASSWORD})
    assert fixed.status == 200, fixed.body
    assert fixed.json()["overall_status"] == "ACTIVE"
    assert fixed.json()["connection_errors"] == []


def test_settings_update_with_field_rules(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    inbox_id = create_inbox(client, mail_server, inbox_type="GOOGLE_WORKSPACE")
    path = f"/sender-accounts/{inbox_id}"
    too_many = client.call("PATCH", path, {"daily_limit": 2001})
    assert too_many.status == 422
    assert too_many.json()["detail"][0]["loc"] == ["body", "daily_limit"]
    unknown = client.call("PATCH", path, {"email_address": "other@acme.test"})
    assert unknown.status == 422
    changed = client.call(
        "PATCH",
        path,
        {
            "display_name": "New Name",
            "daily_limit": 30,
            "warmup": {"enabled": True, "daily_rampup": 5, "pool": "workspace"},
        },
    )
    assert changed.status == 200, changed.body
    detail = client.call("GET", path).json()
    assert (detail["display_name"], detail["daily_limit"]) == ("New Name", 30)
    assert detail["warmup"]["daily_rampup"] == 5
    assert client.call("PATCH", "/sender-accounts/unknown-id", {"status": "PAUSED"}).status == 404
