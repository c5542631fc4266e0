"""A mail session is closed all the way (TLS goodbye answered, socket closed) before the probe
returns: the per-host slot that counted the connection is given back only after it, and a warm
function keeps no descriptor of a finished check."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from local_stack.mail_server import MailServer
from local_stack.pki import ServerPki
from sender_accounts.mail.closing import closed
from sender_accounts.mail.endpoints import MailServerLogin, Security
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.mail.validation import validate_mailbox
from tests.support.delay_proxy import DelayProxy, FlightCounter
from tests.support.stack import MAILBOX_PASSWORD, MAILBOX_USER

LOOPBACK = OutboundPolicy((ipaddress.ip_network("127.0.0.0/8"),))


def test_validation_returns_with_every_connection_closed(mail_server: MailServer) -> None:
    # 50 ms each way: the server's answer to close_notify arrives a round trip after it is sent
    sessions = FlightCounter()
    smtp_proxy = DelayProxy(mail_server.submission_starttls_port, 0.05, sessions).start()
    imap_proxy = DelayProxy(mail_server.imaps_port, 0.05, sessions).start()
    try:
        for _ in range(3):
            smtp = MailServerLogin("localhost", smtp_proxy.port, Security.STARTTLS,
                                   MAILBOX_USER, MAILBOX_PASSWORD, chosen=True)  # fmt: skip
            imap = MailServerLogin("localhost", imap_proxy.port, Security.SSL,
                                   MAILBOX_USER, MAILBOX_PASSWORD, chosen=True)  # fmt: skip
            assert asyncio.run(validate_mailbox(smtp, imap, LOOPBACK, 8, 20)) == []
            assert sessions.active == 0, "a connection outlived its validation"
    finally:
        smtp_proxy.stop()
        imap_proxy.stop()
    assert sessions.connections == 6


@contextmanager
def tls_server(pki: ServerPki, answers_goodbye: bool) -> Iterator[int]:
    """A TLS listener on loopback that completes handshakes; it answers a client's
    close_notify, or holds the connection open without a word."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pki.server_cert, pki.server_key)
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def serve() -> None:
        with suppress(OSError):
            while True:
                raw, _ = listener.accept()
                conn = context.wrap_socket(raw, server_side=True)
                held.append(conn)
                if answers_goodbye:
                    with suppress(OSError, ssl.SSLError):
                        conn.recv(1)  # returns at the client's close_notify
                        conn.unwrap()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()
        for conn in held:
            with suppress(OSError):
                conn.close()


async def _closing_time(port: int, pki: ServerPki, wait: float) -> tuple[float, int]:
    context = ssl.create_default_context(cafile=str(pki.ca_cert))
    _reader, writer = await asyncio.open_connection(
        "127.0.0.1", port, ssl=context, server_hostname="localhost"
    )
    sock = writer.transport.get_extra_info("socket")
    started = time.monotonic()
    await closed(writer.transport, wait)
    return time.monotonic() - started, sock.fileno()


def test_closing_waits_for_the_goodbye_and_no_longer_than_its_bound(pki: ServerPki) -> None:
    with tls_server(pki, answers_goodbye=True) as port:
        answered, descriptor = asyncio.run(_closing_time(port, pki, 5.0))
    assert descriptor == -1
    assert answered < 1.0, f"an answered goodbye took {answered:.2f} s"
    with tls_server(pki, answers_goodbye=False) as port:
        silent, descriptor = asyncio.run(_closing_time(port, pki, 0.5))
    assert descriptor == -1, "a server that never answers keeps the socket open"
    assert 0.5 <= silent < 1.5, f"a silent server held the close for {silent:.2f} s"


async def _cancelled_while_closing(port: int, pki: ServerPki) -> int:
    context = ssl.create_default_context(cafile=str(pki.ca_cert))
    _reader, writer = await asyncio.open_connection(
        "127.0.0.1", port, ssl=context, server_hostname="localhost"
    )
    sock = writer.transport.get_extra_info("socket")
    waiting = asyncio.create_task(closed(writer.transport, 5.0))
    await asyncio.sleep(0.2)
    waiting.cancel()
    with suppress(asyncio.CancelledError):
        await waiting
    await asyncio.sleep(0)
    return int(sock.fileno())


def test_a_deadline_during_the_goodbye_closes_the_socket_at_once(pki: ServerPki) -> None:
    with tls_server(pki, answers_goodbye=False) as port:
        assert asyncio.run(_cancelled_while_closing(port, pki)) == -1


async def _closed_after_a_cancellation(port: int, pki: ServerPki) -> tuple[float, int]:
    context = ssl.create_default_context(cafile=str(pki.ca_cert))
    _reader, writer = await asyncio.open_connection(
        "127.0.0.1", port, ssl=context, server_hostname="localhost"
    )
    sock = writer.transport.get_extra_info("socket")
    elapsed: list[float] = []

    async def probe_cut_off_by_its_deadline() -> None:
        try:
            await asyncio.sleep(10)
        finally:  # as a probe's own cleanup runs once its deadline cancelled it
            started = time.monotonic()
            await closed(writer.transport, 5.0)
            elapsed.append(time.monotonic() - started)

    probe = asyncio.create_task(probe_cut_off_by_its_deadline())
    await asyncio.sleep(0.1)
    probe.cancel()
    with suppress(asyncio.CancelledError):
        await probe
    await asyncio.sleep(0)
    return elapsed[0], int(sock.fileno())


def test_a_probe_cut_off_by_its_deadline_does_not_wait_for_the_goodbye(pki: ServerPki) -> None:
    with tls_server(pki, answers_goodbye=False) as port:
        waited, descriptor = asyncio.run(_closed_after_a_cancellation(port, pki))
    assert descriptor == -1
    assert waited < 0.5, f"a cancelled probe waited {waited:.2f} s for the goodbye"
