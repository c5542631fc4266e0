"""A mail server that floods a validation: a huge literal, endless untagged lines, a line that
never ends, an SMTP reply that never ends. Each ends at once as a protocol failure and nothing is
stored (over HTTP), and the probe's memory stays within a few MB whatever the server sends
(measured on the probe alone, in a process of its own: the in-process AWS emulation answering a
request allocates about 10 MB, and its threads allocate in the background whatever the test
measures)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from tests.support.server_process import server_process
from tests.support.stack import PROJECT_ROOT, ApiClient, smtp_account

DEADLINE_SECONDS = 8.0
# The probe's own peak: the caps let a server make it keep at most 256 KiB of a session; TLS
# and the other stage's real Dovecot login come on top. A 2 GB literal once grew it to 1.9 GB.
PROBE_PEAK_BYTES = 4 * 1024 * 1024
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
    ports = (mail_server.submission_starttls_port, mail_server.imaps_port)
    probe_command = [sys.executable, "-m", "tests.support.probe_memory", stage]
    with server_process(behaviour) as port:
        measured = subprocess.run(
            [*probe_command, str(port), *map(str, ports)],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
    probe = json.loads(measured.stdout)
    assert probe["stages"] == [stage]
    assert "Protocol failure" in probe["details"][0]
    assert probe["peak"] < PROBE_PEAK_BYTES, f"{probe['peak'] / 1e6:.1f} MB"
