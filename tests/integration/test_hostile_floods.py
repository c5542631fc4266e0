"""A mail server that floods a validation: a huge literal, endless untagged lines, a line that
never ends, an SMTP reply that never ends. Each ends at once as a protocol failure, nothing is
stored, and the probe's memory stays within a few MB whatever the server sends."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from tests.support.server_process import server_process
from tests.support.stack import ApiClient, smtp_account

DEADLINE_SECONDS = 8.0
# What one create may allocate at its peak (about 10 MB measured, mostly the in-process AWS
# emulation answering it), the other stage (a real Dovecot login) and the
# stored request included; the server runs in a process of its own.
PEAK_BYTES = 16 * 1024 * 1024


@pytest.mark.parametrize(
    ("behaviour", "stage"),
    [
        ("imap_literal_flood", "imap"),
        ("imap_untagged_flood", "imap"),
        ("imap_long_line", "imap"),
        ("smtp_reply_flood", "smtp"),
    ],
)
def test_a_flood_ends_the_session_as_a_protocol_failure_within_a_few_mb(
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
    behaviour: str,
    stage: str,
) -> None:
    settings_env("VALIDATION_DEADLINE_SECONDS", str(DEADLINE_SECONDS))
    client = workspace()
    with server_process(behaviour) as port:
        overrides: dict[str, Any] = {f"{stage}_port": port, f"{stage}_security": "none"}
        request = smtp_account(mail_server, **overrides)
        # Once unmeasured: a function's first request loads its modules and botocore's models.
        client.call("POST", "/sender-accounts/smtp", request)
        tracemalloc.start()
        try:
            started = time.monotonic()
            response = client.call("POST", "/sender-accounts/smtp", request)
            elapsed = time.monotonic() - started
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert response.status == 400, response.body
    failure = {e["stage"]: e for e in response.json()["errors"]}[stage]
    assert failure["error_code"] == "CONNECTION_FAILED"
    assert "Protocol failure" in failure["detail"]
    assert peak < PEAK_BYTES, f"{peak / 1e6:.1f} MB"
    # Ended by the cap, not by the deadline
    assert elapsed < DEADLINE_SECONDS
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0
