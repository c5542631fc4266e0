"""Attacks through request text, over HTTP: header injection through encoded words and line
separators (checked at the real relay sink), 5xx from client input, idempotency replays across
resources, loose type coercions, and unknown fields."""

from __future__ import annotations

import os
from collections.abc import Callable
from email.message import Message
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from tests.support.inboxes import create_inbox, delivered
from tests.support.stack import ApiClient, smtp_account

INJECTION = "=?utf-8?q?Hi=0D=0ABcc:_victim@evil.test?="
SEPARATORS = ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r", "\n"]
EXPECTED_HEADERS = {
    "from", "to", "subject", "date", "message-id", "content-type",
    "content-transfer-encoding", "mime-version",
}  # fmt: skip


def _header_names(message: Message) -> set[str]:
    # Dovecot adds Received and the sink its envelope headers; the rest came from the client.
    return {name.lower() for name in message} - {"x-peer", "x-mailfrom", "x-rcptto", "received"}


# Finding 2: header injection ---------------------------------------------------------------


@pytest.mark.parametrize("field", ["subject"])
def test_encoded_word_in_subject_is_refused(
    mail_server: MailServer, workspace: Callable[..., ApiClient], field: str
) -> None:
    client = workspace()
    inbox_id = create_inbox(client, mail_server)
    body = {"recipient_email": "prospect@example.test", field: INJECTION}
    response = client.call("POST", f"/sender-accounts/{inbox_id}/test-email", body)
    assert response.status == 422, response.body
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert not any("victim@evil.test" in str(m) for m in mail_server.relay.messages)


def test_encoded_word_in_display_name_is_refused_on_create_and_patch(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    created = client.call(
        "POST", "/sender-accounts/smtp", smtp_account(mail_server, display_name=INJECTION)
    )
    assert created.status == 422
    assert created.json()["detail"][0]["loc"] == ["body", "display_name"]
    inbox_id = create_inbox(client, mail_server)
    patched = client.call("PATCH", f"/sender-accounts/{inbox_id}", {"display_name": INJECTION})
    assert patched.status == 422
    assert patched.json()["detail"][0]["loc"] == ["body", "display_name"]


def test_a_stored_encoded_word_still_adds_no_header_at_the_sink(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    # Given an inbox whose display name was stored before the input rules existed
    from sender_accounts.adapters.aws_clients import client as aws
    from sender_accounts.store.dynamo import serialize
    from sender_accounts.store.keys import inbox_key

    client = workspace()
    inbox_id = create_inbox(client, mail_server)
    aws("dynamodb").update_item(
        TableName=os.environ["TABLE_NAME"],
        Key=serialize(inbox_key(client.workspace_id, inbox_id)),
        UpdateExpression="SET display_name = :name",
        ExpressionAttributeValues=serialize({":name": INJECTION}),
    )
    # When it sends a test email
    response = client.call(
        "POST",
        f"/sender-accounts/{inbox_id}/test-email",
        {"recipient_email": "prospect@example.test", "subject": "Café ✓ 2+2=? yes"},
    )
    # Then the relay receives exactly the headers the product sets, and no Bcc recipient
    assert response.status == 200, response.body
    message = delivered(mail_server, response.json()["message_id"])
    assert _header_names(message) == EXPECTED_HEADERS
    assert "victim@evil.test" not in str(message["X-RcptTo"])
    assert message["Subject"] is not None


@pytest.mark.parametrize("separator", SEPARATORS)
def test_line_separators_in_single_line_fields_are_422_not_5xx(
    mail_server: MailServer, workspace: Callable[..., ApiClient], separator: str
) -> None:
    client = workspace()
    inbox_id = create_inbox(client, mail_server)
    path = f"/sender-accounts/{inbox_id}"
    subject = client.call(
        "POST",
        f"{path}/test-email",
        {"recipient_email": "a@example.test", "subject": f"a{separator}b"},
    )
    assert subject.status == 422, subject.body
    assert subject.json()["detail"][0]["loc"] == ["body", "subject"]
    name = client.call("PATCH", path, {"display_name": f"Jane{separator}Bcc: x@evil.test"})
    assert name.status == 422, name.body
    # Nothing changed: the next test email still goes out
    sent = client.call("POST", f"{path}/test-email", {"recipient_email": "a@example.test"})
    assert sent.status == 200, sent.body


@pytest.mark.parametrize("bad", ["a\x0bb", "a\rb", "a\u2028b", "a\x00b", "a\x1bb"])
def test_multi_line_fields_take_lf_crlf_and_tab_only(
    mail_server: MailServer, workspace: Callable[..., ApiClient], bad: str
) -> None:
    client = workspace()
    inbox_id = create_inbox(client, mail_server)
    path = f"/sender-accounts/{inbox_id}/test-email"
    refused = client.call("POST", path, {"recipient_email": "a@example.test", "body": bad})
    assert refused.status == 422, refused.body
    assert refused.json()["detail"][0]["loc"] == ["body", "body"]
    signature = client.call("PATCH", f"/sender-accounts/{inbox_id}", {"signature": bad})
    assert signature.status == 422
    fine = "Line one\r\nLine two\n\tindented"
    sent = client.call("POST", path, {"recipient_email": "a@example.test", "body": fine})
    assert sent.status == 200, sent.body


# Finding 4: idempotency keys are scoped to the concrete resource -------------------------


def test_the_same_key_for_two_inboxes_sends_two_emails(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    a = create_inbox(client, mail_server)
    b = create_inbox(client, mail_server, email_address="second@acme.test")
    headers = {"Idempotency-Key": "send-once"}
    body = {"recipient_email": "prospect@example.test"}
    first = client.call("POST", f"/sender-accounts/{a}/test-email", body, headers=headers)
    second = client.call("POST", f"/sender-accounts/{b}/test-email", body, headers=headers)
    assert first.status == second.status == 200, second.body
    assert second.json()["inbox_id"] == b
    assert first.json()["message_id"] != second.json()["message_id"]
    for inbox_id in (a, b):
        detail = client.call("GET", f"/sender-accounts/{inbox_id}").json()
        assert detail["emails_sent_today"] == 1
    replay = client.call("POST", f"/sender-accounts/{a}/test-email", body, headers=headers)
    assert replay.json()["message_id"] == first.json()["message_id"]


# Also: loose coercions and unknown fields --------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("daily_limit", True),
        ("daily_limit", 2.5),
        ("smtp_port", False),
        ("smtp_use_tls", "yes"),
        ("imap_use_ssl", 1),
        ("suspended", "true"),
    ],
)
def test_booleans_and_integers_must_be_json_booleans_and_integers(
    mail_server: MailServer, workspace: Callable[..., ApiClient], field: str, value: Any
) -> None:
    client = workspace()
    request = smtp_account(mail_server, **{field: value})
    response = client.call("POST", "/sender-accounts/smtp", request)
    assert response.status == 422, response.body
    assert ["body", field] in [p["loc"] for p in response.json()["detail"]]
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0


def test_numeric_strings_stay_accepted_for_integers(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    request = smtp_account(mail_server, daily_limit="40")
    response = client.call("POST", "/sender-accounts/smtp", request)
    assert response.status == 201, response.body
    assert response.json()["daily_limit"] == 40


def test_unknown_fields_are_named_on_post_and_refused_on_patch(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    request = smtp_account(mail_server, campaign_id="c-1", tags=["a"])
    created = client.call("POST", "/sender-accounts/smtp", request)
    assert created.status == 201, created.body
    warnings = created.json()["warnings"]
    assert any("campaign_id" in w for w in warnings)
    assert any("tags" in w for w in warnings)
    inbox_id = created.json()["inbox_id"]
    detail = client.call("GET", f"/sender-accounts/{inbox_id}").json()
    assert "campaign_id" not in detail
    assert "warnings" not in detail
    bulk = client.call(
        "POST",
        "/sender-accounts/bulk/delete",
        {"inbox_ids": [inbox_id], "confirm_deletion": True, "reason": "cleanup"},
    )
    assert bulk.status == 202
    assert bulk.json()["warnings"] == ["Unknown field ignored: reason"]
    patched = client.call("PATCH", f"/sender-accounts/{inbox_id}", {"campaign_id": "c-2"})
    assert patched.status == 422
    plain = client.call("POST", "/domains", {"domain": "plain-domain.example.test"})
    assert plain.status == 201
    assert "warnings" not in plain.json()
