"""IMAP validation: connect, greeting, STARTTLS when asked, LOGIN, SELECT INBOX, with aioimaplib.

aioimaplib connects by host name and has no STARTTLS; `PinnedImapClient` adds both: it runs
over an already connected (pinned) socket and upgrades in place with `loop.start_tls`.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Awaitable
from typing import Any, TypeVar

import aioimaplib

from sender_accounts.mail.closing import closed
from sender_accounts.mail.deadlines import abandon, first_of
from sender_accounts.mail.endpoints import MailServerLogin, Security
from sender_accounts.mail.failures import (
    ProbeFailure,
    cleartext_refused,
    refused_for_cleartext,
)
from sender_accounts.mail.imap_login import last_line, log_in
from sender_accounts.mail.imap_protocol import ValidationImapProtocol
from sender_accounts.mail.outbound import OutboundPolicy, open_pinned_socket
from sender_accounts.mail.outcome import ErrorCode
from sender_accounts.mail.tls import client_tls_context
from sender_accounts.mail.tls_detection import NoGreeting, open_detecting

T = TypeVar("T")
# Capabilities that forbid a login in clear: RFC 3501's, and GNU imap4d's "TLS required".
CLEARTEXT_FORBIDDEN = ("LOGINDISABLED", "XTLSREQUIRED")


class PinnedImapClient(aioimaplib.IMAP4):
    """aioimaplib's client over a connected socket, verifying TLS against the host name."""

    def __init__(
        self,
        sock: socket.socket,
        server_hostname: str,
        timeout: float,
        ssl_context: ssl.SSLContext | None,
    ) -> None:
        self._sock = sock
        self._lost = asyncio.get_running_loop().create_future()
        super().__init__(
            host=server_hostname,
            port=0,
            timeout=timeout,
            conn_lost_cb=self._connection_lost,
            ssl_context=ssl_context,
        )

    def create_client(
        self,
        host: str,
        port: int,
        loop: asyncio.AbstractEventLoop | None,
        conn_lost_cb: Any = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        local_loop = loop or asyncio.get_running_loop()
        self.protocol = ValidationImapProtocol(local_loop, conn_lost_cb)
        self._client_task = local_loop.create_task(
            local_loop.create_connection(
                lambda: self.protocol,
                sock=self._sock,
                ssl=ssl_context,
                server_hostname=host if ssl_context else None,
                ssl_handshake_timeout=self.timeout if ssl_context else None,
            )
        )

    def _connection_lost(self, exc: Exception | None) -> None:
        if not self._lost.done():
            self._lost.set_result(exc)

    async def bounded(self, step: Awaitable[T]) -> T:
        """Run one step within the timeout, failing at once if the server hangs up or breaks
        a protocol cap meanwhile. A late step is abandoned, never waited for."""
        task = asyncio.ensure_future(step)
        protocol: ValidationImapProtocol = self.protocol
        watched: set[asyncio.Future[Any]] = {task, self._lost, protocol.violation}
        if not self._client_task.done():
            # The connection (and an implicit TLS handshake) is still being made: its failure
            # ends the step at once, not after the timeout.
            watched.add(self._client_task)
        deadline = asyncio.get_running_loop().time() + self.timeout
        done: set[asyncio.Future[Any]] = set()
        try:
            while True:
                remaining = deadline - asyncio.get_running_loop().time()
                done = await first_of(watched, remaining)
                if self._client_task in done and self._client_task.exception() is None:
                    watched.discard(self._client_task)  # connected: keep waiting for the step
                    if not done & {task, self._lost, protocol.violation}:
                        continue
                break
        except asyncio.CancelledError:
            abandon(task)
            raise
        if task in done:
            return task.result()
        abandon(task)
        if protocol.violation in done:
            protocol.violation.result()  # raises the cap's ProbeFailure
        if self._client_task in done and self._client_task.exception() is not None:
            raise ProbeFailure(
                ErrorCode.SSL_ERROR, "TLS handshake failed"
            ) from self._client_task.exception()
        if self._lost in done:
            cause = self._lost.result()
            raise ProbeFailure(
                ErrorCode.CONNECTION_FAILED, "The server closed the connection"
            ) from cause
        raise ProbeFailure(ErrorCode.TIMEOUT, "The server did not answer in time")

    async def greeting(self) -> None:
        """Connected (TLS done for implicit TLS) and greeted."""
        await self.bounded(self._connected_and_greeted())

    async def _connected_and_greeted(self) -> None:
        await self._client_task
        await self.protocol.greeted

    async def learn_capabilities(self) -> None:
        """Asked with CAPABILITY when the greeting did not list them."""
        if not self.protocol.capabilities:
            await self.bounded(self.protocol.capability())

    async def starttls(self, context: ssl.SSLContext) -> None:
        """RFC 3501 6.2.1: STARTTLS, the TLS handshake, then capabilities learned anew."""
        protocol = self.protocol
        if not self.has_capability("STARTTLS"):
            raise ProbeFailure(ErrorCode.SSL_ERROR, "The server does not offer STARTTLS")
        command = aioimaplib.Command("STARTTLS", protocol.new_tag(), loop=protocol.loop)
        response = await self.bounded(protocol.execute(command))
        if response.result != "OK":
            raise ProbeFailure(
                ErrorCode.SSL_ERROR, "The server refused STARTTLS", last_line(response)
            )
        loop = asyncio.get_running_loop()
        transport = await self.bounded(
            loop.start_tls(
                protocol.transport,
                protocol,
                context,
                server_hostname=self.host,
                ssl_handshake_timeout=self.timeout,
            )
        )
        protocol.transport = transport
        protocol.capabilities = set()
        await self.bounded(protocol.capability())

    def close(self) -> None:
        """LOGOUT without waiting for its answer (no round trip added; the server's log shows
        a client that said goodbye), then close."""
        # The transport owns the socket once created; asyncio closes it on every failure path.
        if not self._client_task.done():
            self._client_task.cancel()
        transport = self.protocol.transport
        if transport is None:
            return
        greeted = self.protocol.state in {aioimaplib.NONAUTH, aioimaplib.AUTH, aioimaplib.SELECTED}
        if greeted and not transport.is_closing():
            transport.write(f"{self.protocol.new_tag()} LOGOUT\r\n".encode())
        transport.close()

    async def part(self) -> None:
        """Close, and return once the connection is closed."""
        transport = self.protocol.transport
        self.close()
        await closed(transport)


async def _connect(
    login: MailServerLogin,
    security: Security,
    policy: OutboundPolicy,
    step_timeout: float,
    greeting_wait: float,
) -> PinnedImapClient:
    """Connected in `security`'s mode (STARTTLS done), the greeting read within
    `greeting_wait`."""
    sock = await open_pinned_socket(login.host, login.port, policy, step_timeout)
    context = client_tls_context()
    client = PinnedImapClient(
        sock, login.host, step_timeout, context if security is Security.SSL else None
    )
    try:
        client.timeout = greeting_wait
        try:
            await client.greeting()
        except ProbeFailure as failure:
            if failure.code is ErrorCode.TIMEOUT:
                raise NoGreeting() from None
            raise
        finally:
            client.timeout = step_timeout
        await client.learn_capabilities()
        upgrade = security is Security.NONE and login.upgrades_when_offered
        if security is Security.STARTTLS or (upgrade and client.has_capability("STARTTLS")):
            await client.starttls(context)
    except BaseException:
        client.close()
        raise
    return client


async def logged_in_session(
    login: MailServerLogin, policy: OutboundPolicy, step_timeout: float
) -> PinnedImapClient:
    """A session logged in as `login` (the caller parts it); ProbeFailure when it cannot."""

    def open_as(security: Security, wait: float) -> Awaitable[PinnedImapClient]:
        return _connect(login, security, policy, step_timeout, wait)

    client = await open_detecting(login, step_timeout, open_as)
    try:
        encrypted = client.protocol.transport is not None and bool(
            client.protocol.transport.get_extra_info("sslcontext")
        )
        if not encrypted and any(client.has_capability(c) for c in CLEARTEXT_FORBIDDEN):
            # RFC 3501 6.2.3 / RFC 9051: the password must not be sent; this is no auth failure.
            raise cleartext_refused()
        response = await log_in(client, login)
        refusal = last_line(response)
        if response.result == "NO" and (
            refused_for_cleartext(None, refusal)
            # "NO LOGIN Command disabled" in clear from a server that offers STARTTLS
            or (not encrypted and client.has_capability("STARTTLS") and "disabled" in refusal)
        ):
            raise cleartext_refused(refusal)
        if response.result == "NO":
            raise ProbeFailure(ErrorCode.AUTH_FAILED, "Authentication failed", last_line(response))
        if response.result != "OK":
            raise ProbeFailure(
                ErrorCode.CONNECTION_FAILED, "The server refused LOGIN", last_line(response)
            )
    except BaseException:
        await client.part()
        raise
    return client


async def probe_imap(login: MailServerLogin, policy: OutboundPolicy, step_timeout: float) -> None:
    """Raise if `login` cannot log in and open INBOX; return quietly when it can."""
    client = await logged_in_session(login, policy, step_timeout)
    try:
        response = await client.bounded(client.protocol.select("INBOX"))
        if response.result != "OK":
            raise ProbeFailure(
                ErrorCode.CONNECTION_FAILED, "INBOX could not be opened", last_line(response)
            )
    finally:
        await client.part()
