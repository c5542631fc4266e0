"""A lone UTF-16 surrogate in any text field is a 422 naming the field, before any work: no
login to the mailbox, nothing stored, never a 5xx. The JSON is written by hand, as an attacker
would: `"\\ud800"` is valid JSON that no UTF-8 encoder can write back."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from tests.support.hostile_servers import Recording, recording_imap
from tests.support.misbehaving_servers import misbehaving_server
from tests.support.stack import ApiClient, smtp_account

LONE = "\\ud800"


def with_lone_surrogate(body: dict[str, Any], field: str) -> bytes:
    """`body` as JSON text with `field`'s value replaced by one holding a lone surrogate."""
    marker = "LONE-SURROGATE-HERE"
    text = json.dumps({**body, field: f"x{marker}y"})
    return text.replace(marker, LONE).encode()


def oauth_app_body() -> dict[str, Any]:
    return {"provider": "google", "client_id": "id-1", "client_secret": "secret-1"}


@pytest.mark.parametrize(
    ("method", "path", "field", "body"),
    [
        ("POST", "/oauth-apps", "client_id", oauth_app_body()),
        ("POST", "/oauth-apps", "client_secret", oauth_app_body()),
        ("POST", "/oauth/authorizations", "login_hint", {"inbox_type": "GOOGLE_WORKSPACE"}),
        ("POST", "/domains", "domain", {}),
        ("POST", "/sender-accounts/bulk/check", "status", {}),
    ],
)
def test_other_operations_refuse_a_lone_surrogate_naming_the_field(
    workspace: Callable[..., ApiClient], method: str, path: str, field: str, body: dict[str, Any]
) -> None:
    client = workspace()
    response = client.call(method, path, with_lone_surrogate(body, field))
    assert response.status == 422, response.body
    assert response.json()["detail"][0]["loc"] == ["body", field]


@pytest.mark.parametrize(
    "field",
    ["display_name", "smtp_password", "imap_username", "email_address", "signature", "smtp_host"],
)
def test_create_and_patch_refuse_a_lone_surrogate_before_logging_in(
    mail_server: MailServer, workspace: Callable[..., ApiClient], field: str
) -> None:
    client = workspace()
    recording = Recording()
    with misbehaving_server(recording_imap(recording)) as port:
        request = smtp_account(mail_server, imap_port=port, imap_security="none")
        response = client.call("POST", "/sender-accounts/smtp", with_lone_surrogate(request, field))
        assert response.status == 422, response.body
        assert response.json()["detail"][0]["loc"] == ["body", field]
        assert recording.connections == 0  # refused before any login
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0

    created = client.call("POST", "/sender-accounts/smtp", smtp_account(mail_server))
    inbox_id = created.json()["inbox_id"]
    patch = client.call(
        "PATCH", f"/sender-accounts/{inbox_id}", with_lone_surrogate({}, "display_name")
    )
    assert patch.status == 422, patch.body
    shown = client.call("GET", f"/sender-accounts/{inbox_id}").json()
    assert shown["display_name"] == "Outreach at Acme"


def test_bulk_create_refuses_a_lone_surrogate_in_a_row(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    marker = "LONE-SURROGATE-HERE"
    row = smtp_account(mail_server, display_name=f"a{marker}")
    text = json.dumps({"inboxes": [smtp_account(mail_server), row]}).replace(marker, LONE)
    response = client.call("POST", "/sender-accounts/smtp/bulk", text.encode())
    assert response.status == 422, response.body
    assert response.json()["detail"][0]["loc"] == ["body", "inboxes", 1, "display_name"]
