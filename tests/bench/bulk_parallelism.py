"""The parallelism benchmark: one validation, the machine's floor, a bulk job, a sequential
baseline, all against the same Dovecot behind a proxy that adds a 50 ms round trip."""

from __future__ import annotations

import asyncio
import imaplib
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import Any

import requests

from sender_accounts.mail.endpoints import MailServerLogin, Security
from sender_accounts.mail.validation import validate_mailbox
from tests.bench.single_validation import LOOPBACK
from tests.support.delay_proxy import DelayProxy


@dataclass
class BenchTarget:
    """Where the benchmark's mailbox lives: proxied submission (STARTTLS) and IMAPS ports."""

    smtp: DelayProxy
    imap: DelayProxy
    user: str
    password: str

    def account(self, email_address: str) -> dict[str, Any]:
        return {
            "email_address": email_address,
            "display_name": "Bench",
            "inbox_type": "CUSTOM_SMTP",
            "smtp_host": "localhost",
            "smtp_port": self.smtp.port,
            "smtp_username": self.user,
            "smtp_password": self.password,
            "imap_host": "localhost",
            "imap_port": self.imap.port,
            "imap_username": self.user,
            "imap_password": self.password,
        }

    def logins(self) -> tuple[MailServerLogin, MailServerLogin]:
        return (
            MailServerLogin(
                "localhost",
                self.smtp.port,
                Security.STARTTLS,
                self.user,
                self.password,
                sender=self.user,  # as validation runs: the sender check included
            ),
            MailServerLogin("localhost", self.imap.port, Security.SSL, self.user, self.password),
        )


def local_http_api(runtime: Any) -> tuple[str, ThreadingHTTPServer]:
    from local_stack.serve import make_handler

    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(runtime.gateway))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/api/public/v1", server


def one_validation_through_runtime(base: str, key: str, target: BenchTarget) -> float:
    """(a) POST one inbox over HTTP to the local runtime, until its 201."""
    start = time.perf_counter()
    response = requests.post(
        f"{base}/sender-accounts/smtp",
        json=target.account("single@bench.test"),
        headers={"X-API-Key": key},
        timeout=60,
    )
    elapsed = time.perf_counter() - start
    assert response.status_code == 201, response.text
    return elapsed


def machine_floor(target: BenchTarget, count: int) -> float:
    """(f) the same validations run concurrently by the probe code alone: no AWS, queue, HTTP."""
    smtp, imap = target.logins()

    async def all_of_them() -> None:
        results = await asyncio.gather(
            *(validate_mailbox(smtp, imap, LOOPBACK, 10, 20) for _ in range(count))
        )
        assert all(not failures for failures in results), results

    start = time.perf_counter()
    asyncio.run(all_of_them())
    return time.perf_counter() - start


def bulk_job_through_runtime(base: str, key: str, target: BenchTarget, count: int) -> float:
    """(b) POST a bulk job of `count` valid inboxes, until the job reads COMPLETED."""
    inboxes = [target.account(f"bulk{i:03d}@bench.test") for i in range(count)]
    headers = {"X-API-Key": key}
    start = time.perf_counter()
    accepted = requests.post(
        f"{base}/sender-accounts/smtp/bulk", json={"inboxes": inboxes}, headers=headers, timeout=60
    )
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job_id"]
    while True:
        job = requests.get(
            f"{base}/sender-accounts/smtp/bulk/{job_id}/progress", headers=headers, timeout=60
        ).json()["job"]
        if job["status"] == "COMPLETED":
            break
        if time.perf_counter() - start > 300:
            raise TimeoutError(f"bulk job stuck: {job['processed_count']} of {count}")
        time.sleep(0.25)
    elapsed = time.perf_counter() - start
    assert job["success_count"] == count, job
    return elapsed


def sequential_stdlib(target: BenchTarget, count: int) -> float:
    """(c) the same validations one after another with smtplib and imaplib."""
    context = ssl.create_default_context()
    start = time.perf_counter()
    for _ in range(count):
        with smtplib.SMTP("localhost", target.smtp.port, timeout=10) as smtp:
            smtp.starttls(context=context)
            smtp.login(target.user, target.password)
        imap = imaplib.IMAP4_SSL("localhost", target.imap.port, ssl_context=context, timeout=10)
        imap.login(target.user, target.password)
        imap.select("INBOX")
        imap.logout()
    return time.perf_counter() - start


def round_trips_of_one_validation(target: BenchTarget) -> dict[str, int]:
    """Client flights (round trips) of one validation per protocol, counted by the proxies."""
    target.smtp.counter.reset()
    target.imap.counter.reset()
    smtp, imap = target.logins()
    failures = asyncio.run(validate_mailbox(smtp, imap, LOOPBACK, 10, 20))
    assert not failures
    time.sleep(0.2)  # let the proxies see the last bytes
    # Each connection ends with a TLS close_notify flight that nobody waits for: not a round trip.
    return {
        "smtp": target.smtp.counter.flights - target.smtp.counter.connections,
        "imap": target.imap.counter.flights - target.imap.counter.connections,
    }


# The protocol minimum: SMTP connect, EHLO, STARTTLS, TLS handshake, EHLO, AUTH, then the
# sender check's MAIL FROM and RCPT TO (QUIT is sent without waiting: no round trip);
# IMAP connect, TLS handshake (the greeting follows it), LOGIN, SELECT.
MINIMUM_ROUND_TRIPS = {"smtp": 8, "imap": 4}
