"""Servers that fail mid-conversation: each ends within its bound, classified, nothing stored."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from tests.support.misbehaving_servers import (
    Behaviour,
    banner_one_byte_a_second,
    drops_after_ehlo,
    imap_never_finishes_login,
    misbehaving_server,
    oversized_reply_line,
    refuses_starttls,
)
from tests.support.stack import ApiClient, smtp_account

STEP_SECONDS = 2.0
DEADLINE_SECONDS = 5.0


@pytest.mark.parametrize(
    ("behaviour", "stage", "security", "error_code"),
    [
        (drops_after_ehlo, "smtp", "none", "CONNECTION_FAILED"),
        (banner_one_byte_a_second, "smtp", "none", "TIMEOUT"),
        (oversized_reply_line, "smtp", "none", "CONNECTION_FAILED"),
        (imap_never_finishes_login, "imap", "none", "TIMEOUT"),
        (refuses_starttls, "smtp", "starttls", "SSL_ERROR"),
    ],
)
def test_misbehaving_server_is_bounded_and_classified(
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
    behaviour: Behaviour,
    stage: str,
    security: str,
    error_code: str,
) -> None:
    settings_env("MAIL_STEP_TIMEOUT_SECONDS", str(STEP_SECONDS))
    settings_env("VALIDATION_DEADLINE_SECONDS", str(DEADLINE_SECONDS))
    client = workspace()
    with misbehaving_server(behaviour) as port:
        overrides: dict[str, Any] = {f"{stage}_port": port, f"{stage}_security": security}
        request = smtp_account(mail_server, **overrides)
        started = time.monotonic()
        response = client.call("POST", "/sender-accounts/smtp", request)
        elapsed = time.monotonic() - started
    assert response.status == 400, response.body
    body = response.json()
    failed = {e["stage"]: e["error_code"] for e in body["errors"]}
    # The other stage talks to the real Dovecot; on a loaded machine it may time out too.
    assert failed[stage] == error_code
    # The whole validation ends within its deadline (generous slack for a loaded machine)
    assert elapsed < DEADLINE_SECONDS + 5
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0
