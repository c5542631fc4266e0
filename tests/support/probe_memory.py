"""One connection validation against a hostile server, in a process of its own, and the peak
of what it allocated: a test's process also runs the in-process stack, whose threads allocate
meanwhile and would be counted too (tracemalloc sees every thread).

`python -m tests.support.probe_memory <hostile stage> <hostile port> <submission port>
<imaps port>` prints {"stages": [...], "details": [...], "peak": bytes}."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "layers" / "sender_accounts"))

from sender_accounts.mail.endpoints import MailServerLogin, Security
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.mail.validation import validate_mailbox
from tests.support.stack import MAILBOX_PASSWORD, MAILBOX_USER

LOOPBACK = OutboundPolicy((ipaddress.ip_network("127.0.0.0/8"),))
STEP_SECONDS, DEADLINE_SECONDS = 4.0, 8.0


def _logins(
    stage: str, hostile_port: int, submission_port: int, imaps_port: int
) -> tuple[MailServerLogin, MailServerLogin]:
    mailbox = (MAILBOX_USER, MAILBOX_PASSWORD)
    smtp = MailServerLogin("localhost", submission_port, Security.STARTTLS, *mailbox, chosen=True)
    imap = MailServerLogin("localhost", imaps_port, Security.SSL, *mailbox, chosen=True)
    hostile = MailServerLogin("127.0.0.1", hostile_port, Security.NONE, *mailbox, chosen=True)
    return (hostile, imap) if stage == "smtp" else (smtp, hostile)


def main(stage: str, *ports: int) -> None:
    # Once unmeasured: the first validation imports the mail libraries and loads the CAs.
    asyncio.run(validate_mailbox(*_logins(stage, *ports), LOOPBACK, STEP_SECONDS, DEADLINE_SECONDS))
    tracemalloc.start()
    failures = asyncio.run(
        validate_mailbox(*_logins(stage, *ports), LOOPBACK, STEP_SECONDS, DEADLINE_SECONDS)
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    stages, details = [f.stage for f in failures], [f.detail for f in failures]
    print(json.dumps({"stages": stages, "details": details, "peak": peak}))


if __name__ == "__main__":
    main(sys.argv[1], *(int(port) for port in sys.argv[2:5]))
