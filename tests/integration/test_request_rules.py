"""Bad input: a 422 that names every faulty field, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.stack import MAILBOX_PASSWORD, ApiClient

VALID: dict[str, Any] = {
    "email_address": "rules@acme.test",
    "display_name": "Rules",
    "inbox_type": "GOOGLE_WORKSPACE",
    "smtp_host": "smtp.acme.test",
    "smtp_port": 587,
    "smtp_username": "rules@acme.test",
    "smtp_password": MAILBOX_PASSWORD,
    "imap_host": "imap.acme.test",
    "imap_port": 993,
    "imap_username": "rules@acme.test",
    "imap_password": MAILBOX_PASSWORD,
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email_address": "not-an-address"}, "email_address"),
        ({"email_address": "a@b"}, "email_address"),
        ({"display_name": ""}, "display_name"),
        ({"inbox_type": "YAHOO"}, "inbox_type"),
        ({"inbox_type": "COLDSEND"}, "inbox_type"),
        ({"smtp_port": 0}, "smtp_port"),
        ({"imap_port": 65536}, "imap_port"),
        ({"smtp_password": ""}, "smtp_password"),
        ({"imap_password": "x" * 501}, "imap_password"),
        ({"smtp_host": "h" * 256}, "smtp_host"),
        ({"daily_limit": 0}, "daily_limit"),
        ({"daily_limit": 2001}, "daily_limit"),
        ({"inbox_type": "OUTLOOK_365", "daily_limit": 5001}, "daily_limit"),
        ({"inbox_type": "CUSTOM_SMTP", "daily_limit": 100_001}, "daily_limit"),
        ({"smtp_security": "tls13"}, "smtp_security"),
        ({"warmup": {"enabled": True, "emails_per_day": 51}}, "warmup"),
        ({"reply_to": "nobody"}, "reply_to"),
        ({"on_validation_failure": "ignore"}, "on_validation_failure"),
    ],
)
def test_invalid_field_is_named(
    workspace: Callable[..., ApiClient], change: dict[str, Any], field: str
) -> None:
    client = workspace()
    response = client.call("POST", "/sender-accounts/smtp", {**VALID, **change})
    assert response.status == 422, response.body
    locations = [problem["loc"] for problem in response.json()["detail"]]
    assert any(loc[:2] == ["body", field] for loc in locations), locations
    assert MAILBOX_PASSWORD not in response.body.decode()
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0


def test_every_problem_is_listed(workspace: Callable[..., ApiClient]) -> None:
    response = workspace().call("POST", "/sender-accounts/smtp", {"smtp_port": "x"})
    assert response.status == 422
    fields = {problem["loc"][1] for problem in response.json()["detail"]}
    assert {"email_address", "display_name", "inbox_type", "smtp_port", "imap_password"} <= fields


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'"text"'])
def test_malformed_bodies_are_4xx(workspace: Callable[..., ApiClient], raw: bytes) -> None:
    response = workspace().call("POST", "/sender-accounts/smtp", raw)
    assert 400 <= response.status < 500


def test_provider_maximum_accepted_at_the_limit(workspace: Callable[..., ApiClient]) -> None:
    # At the maximum the request passes validation and reaches the connection check, which
    # fails there: nothing listens on loopback ports 1 and 2.
    at_limit = {**VALID, "daily_limit": 2000, "smtp_host": "localhost", "smtp_port": 1}
    at_limit.update(imap_host="localhost", imap_port=2)
    response = workspace().call("POST", "/sender-accounts/smtp", at_limit)
    assert response.status == 400
    assert response.json()["error_code"] == "CONNECTION_FAILED"
