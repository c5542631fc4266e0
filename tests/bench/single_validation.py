"""One mailbox validation (SMTP and IMAP side by side) against the local Dovecot."""

from __future__ import annotations

import asyncio
import ipaddress
import statistics
import time

from local_stack.mail_server import MailServer
from sender_accounts.mail.endpoints import MailServerLogin, Security
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.mail.validation import validate_mailbox

LOOPBACK = OutboundPolicy((ipaddress.ip_network("127.0.0.0/8"),))


def logins(server: MailServer, user: str, password: str) -> tuple[MailServerLogin, MailServerLogin]:
    smtp = MailServerLogin(
        "localhost", server.submission_starttls_port, Security.STARTTLS, user, password
    )
    imap = MailServerLogin("localhost", server.imaps_port, Security.SSL, user, password)
    return smtp, imap


def measure_single_validation(
    server: MailServer, user: str, password: str, runs: int = 20
) -> dict[str, float]:
    """Median and spread of one whole validation, in seconds."""
    smtp, imap = logins(server, user, password)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        failures = asyncio.run(validate_mailbox(smtp, imap, LOOPBACK, 10, 20))
        samples.append(time.perf_counter() - start)
        assert not failures, failures
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
    }
