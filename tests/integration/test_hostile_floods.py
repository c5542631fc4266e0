"""A mail server that floods a validation: a huge literal, endless untagged lines, a line that
never ends, an SMTP reply that never ends. Each ends at once as a protocol failure and nothing is
stored (over HTTP), and the probe's memory stays within a few MB whatever the server sends
(measured on the probe alone: the in-process AWS emulation answering a request allocates about
10 MB, and how much varies from run to run with what its threads do meanwhile)."""

from __future__ import annotations

import asyncio
import ipaddress
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from sender_accounts.mail.endpoints import MailServerLogin, Security
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.mail.validation import validate_mailbox
from tests.support.server_process import server_process
from tests.support.stack import MAILBOX_PASSWORD, MAILBOX_USER, ApiClient, smtp_account

DEADLINE_SECONDS = 8.0
# The probe's own peak: the caps let a server make it keep at most 256 KiB of a session; TLS
# and the other stage's real Dovecot login come on top. A 2 GB literal once grew it to 1.9 GB.
PROBE_PEAK_BYTES = 4 * 1024 * 1024
LOOPBACK = OutboundPolicy((ipaddress.ip_network("127.0.0.0/8"),))
FLOODS = [
    ("imap_literal_flood", "imap"),
    ("imap_untagged_flood", "imap"),
    ("imap_long_line", "imap"),
    ("smtp_reply_flood", "smtp"),
]


@pytest.mark.parametrize(("behaviour", "stage"), FLOODS)
def test_a_flood_ends_the_session_as_a_protocol_failure_and_nothing_is_stored(
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
        started = time.monotonic()
        response = client.call(
            "POST", "/sender-accounts/smtp", smtp_account(mail_server, **overrides)
        )
        elapsed = time.monotonic() - started
    assert response.status == 400, response.body
    failure = {e["stage"]: e for e in response.json()["errors"]}[stage]
    assert failure["error_code"] == "CONNECTION_FAILED"
    assert "Protocol failure" in failure["detail"]
    # Ended by the cap, not by the deadline
    assert elapsed < DEADLINE_SECONDS
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0


@pytest.mark.parametrize(("behaviour", "stage"), FLOODS)
def test_a_flood_grows_the_probe_by_a_few_mb_at_most(
    mail_server: MailServer, behaviour: str, stage: str
) -> None:
    def logins(port: int) -> tuple[MailServerLogin, MailServerLogin]:
        mailbox = (MAILBOX_USER, MAILBOX_PASSWORD)
        ports = mail_server.submission_starttls_port, mail_server.imaps_port
        smtp = MailServerLogin("localhost", ports[0], Security.STARTTLS, *mailbox, chosen=True)
        imap = MailServerLogin("localhost", ports[1], Security.SSL, *mailbox, chosen=True)
        hostile = MailServerLogin("127.0.0.1", port, Security.NONE, *mailbox, chosen=True)
        return (hostile, imap) if stage == "smtp" else (smtp, hostile)

    with server_process(behaviour) as port:
        # Once unmeasured: the first validation imports the mail libraries and loads the CAs.
        asyncio.run(validate_mailbox(*logins(port), LOOPBACK, 4, DEADLINE_SECONDS))
        tracemalloc.start()
        try:
            failures = asyncio.run(validate_mailbox(*logins(port), LOOPBACK, 4, DEADLINE_SECONDS))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert [f.stage for f in failures] == [stage]
    assert "Protocol failure" in failures[0].detail
    assert peak < PROBE_PEAK_BYTES, f"{peak / 1e6:.1f} MB"
