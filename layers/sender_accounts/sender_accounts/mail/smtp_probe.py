"""SMTP validation: connect, EHLO, STARTTLS when asked, EHLO, AUTH, with aiosmtplib."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable

import aiosmtplib

from sender_accounts.mail.closing import closed
from sender_accounts.mail.endpoints import AuthMechanism, MailServerLogin, Security
from sender_accounts.mail.failures import ProbeFailure, cleartext_refused
from sender_accounts.mail.outbound import OutboundPolicy, open_pinned_socket
from sender_accounts.mail.outcome import ErrorCode
from sender_accounts.mail.redaction import xoauth2_response
from sender_accounts.mail.tls import client_tls_context
from sender_accounts.mail.tls_detection import NoGreeting, open_detecting


def _ehlo_name(sock: socket.socket) -> str:
    # RFC 5321 4.1.3: without a resolvable FQDN, greet with our address literal. Looking up our
    # own FQDN (aiosmtplib's default) can cost a DNS round trip per session.
    address = sock.getsockname()[0]
    return f"[IPv6:{address}]" if sock.family == socket.AF_INET6 else f"[{address}]"


# Dovecot's submission refuses an AUTH line whose parameters pass 1026 bytes ("500 5.5.2 Line
# too long"); Microsoft's access tokens alone are often longer.
_LONGEST_INITIAL_RESPONSE = 1000


async def auth_xoauth2(client: aiosmtplib.SMTP, user: str, access_token: str) -> None:
    """SASL XOAUTH2: the response on the AUTH line when short, else after the server's bare
    334; a failure arrives as a 334 challenge (a JSON error) that must be answered with an
    empty line before the 535 comes."""
    response = xoauth2_response(user, access_token).encode("ascii")
    if len(response) <= _LONGEST_INITIAL_RESPONSE:
        reply = await client.execute_command(b"AUTH", b"XOAUTH2", response)
    else:
        reply = await client.execute_command(b"AUTH", b"XOAUTH2")
        if reply.code == 334:
            reply = await client.execute_command(response)
    if reply.code == 334:
        reply = await client.execute_command(b"")
    if reply.code in {500, 501, 502, 504}:  # the command itself refused: no verdict on the token
        raise aiosmtplib.SMTPResponseException(reply.code, reply.message)
    if reply.code != 235:
        raise aiosmtplib.SMTPAuthenticationError(reply.code, reply.message)


async def _authenticate_once(client: aiosmtplib.SMTP, login: MailServerLogin) -> None:
    # One attempt with the best offered mechanism: trying each mechanism in turn (aiosmtplib's
    # login()) doubles the failures a provider counts towards locking the mailbox.
    offered = {method.lower() for method in client.server_auth_methods}
    if login.mechanism is AuthMechanism.XOAUTH2:
        if "xoauth2" not in offered:
            raise ProbeFailure(ErrorCode.CONNECTION_FAILED, "The server does not offer XOAUTH2")
        await auth_xoauth2(client, login.username, login.password)
    elif "plain" in offered:
        await client.auth_plain(login.username, login.password)
    elif "login" in offered:
        await client.auth_login(login.username, login.password)
    elif "cram-md5" in offered:
        await client.auth_crammd5(login.username, login.password)
    else:
        raise ProbeFailure(
            ErrorCode.CONNECTION_FAILED, "The server offers no supported authentication method"
        )


async def _connect(
    login: MailServerLogin,
    security: Security,
    policy: OutboundPolicy,
    step_timeout: float,
    greeting_wait: float,
) -> aiosmtplib.SMTP:
    """Connected in `security`'s mode, the greeting read within `greeting_wait`."""
    sock = await open_pinned_socket(login.host, login.port, policy, step_timeout)
    client = aiosmtplib.SMTP(
        hostname=login.host,
        sock=sock,
        use_tls=security is Security.SSL,
        start_tls=False,
        tls_context=client_tls_context(),
        timeout=greeting_wait,
        local_hostname=_ehlo_name(sock),
    )
    try:
        await client.connect()
    except aiosmtplib.SMTPTimeoutError:
        client.close()
        raise NoGreeting() from None
    except BaseException:
        # The transport owns the socket from connect() on; closing the socket behind its back
        # would free the descriptor while the loop still maps it to the old transport.
        client.close()
        raise
    client.timeout = step_timeout
    return client


async def open_smtp_session(
    login: MailServerLogin, policy: OutboundPolicy, step_timeout: float
) -> aiosmtplib.SMTP:
    """An authenticated SMTP session on a pinned, verified connection; the caller quits it."""

    def open_as(security: Security, wait: float) -> Awaitable[aiosmtplib.SMTP]:
        return _connect(login, security, policy, step_timeout, wait)

    client = await open_detecting(login, step_timeout, open_as)
    security = login.detected.security or login.security
    try:
        await client.ehlo()
        offers_starttls = client.supports_extension("starttls")
        upgrade = security is Security.NONE and login.upgrades_when_offered and offers_starttls
        if security is Security.STARTTLS or upgrade:
            if not offers_starttls:
                raise ProbeFailure(ErrorCode.SSL_ERROR, "The server does not offer STARTTLS")
            try:
                await client.starttls()
            except aiosmtplib.SMTPResponseException as refused:  # 454 TLS not available, ...
                reply = f"{refused.code} {refused.message}"
                raise ProbeFailure(
                    ErrorCode.SSL_ERROR, "The server refused STARTTLS", reply
                ) from None
            await client.ehlo()
        in_clear = security is Security.NONE and not client.get_transport_info("sslcontext")
        if not (client.supports_extension("auth") and client.server_auth_methods):
            if offers_starttls and in_clear:
                # an explicit `none` on a server that authenticates only after STARTTLS
                raise cleartext_refused()
            raise ProbeFailure(ErrorCode.CONNECTION_FAILED, "The server offers no authentication")
        await _authenticate_once(client, login)
    except BaseException:
        say_goodbye(client)
        raise
    return client


def say_goodbye(client: aiosmtplib.SMTP) -> None:
    """QUIT, then close without waiting for the 221: no round trip is added, and the server's
    log shows a client that said goodbye, not a "lost connection after AUTH" (a pattern abuse
    filters watch for)."""
    transport = client.transport
    if isinstance(transport, asyncio.WriteTransport) and not transport.is_closing():
        transport.write(b"QUIT\r\n")
    client.close()


async def part(client: aiosmtplib.SMTP) -> None:
    """Say goodbye, and return once the connection is closed."""
    transport = client.transport
    say_goodbye(client)
    await closed(transport)


async def check_sender(client: aiosmtplib.SMTP, address: str) -> None:
    """Does the server take `address` as this login's sender? MAIL FROM and RCPT TO to the
    address itself, no message: many servers check sender ownership only at RCPT (Postfix's
    reject_sender_login_mismatch). The QUIT that follows abandons the transaction, so no RSET.
    Sequential, not pipelined: aiosmtplib drops a reply that arrives with the one before it."""
    if not address.isascii() and not client.supports_extension("smtputf8"):
        return  # the address cannot be said to this server; sending would fail the same way
    # A refusal raises SMTPSenderRefused / SMTPRecipientRefused: failures.classify names it.
    await client.mail(address, options=[] if address.isascii() else ["SMTPUTF8"])
    await client.rcpt(address)


async def probe_smtp(login: MailServerLogin, policy: OutboundPolicy, step_timeout: float) -> None:
    """Raise if `login` cannot authenticate, or cannot send as its sender; return quietly
    when it can."""
    client = await open_smtp_session(login, policy, step_timeout)
    try:
        if login.sender:
            await check_sender(client, login.sender)
    finally:
        await part(client)
