"""The IMAP login itself, by password or by OAuth2 access token, within the probe's bounds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aioimaplib

from sender_accounts.mail.endpoints import AuthMechanism, MailServerLogin
from sender_accounts.mail.failures import ProbeFailure
from sender_accounts.mail.outcome import ErrorCode
from sender_accounts.mail.redaction import imap_quoted, sasl_plain, xoauth2_response

if TYPE_CHECKING:
    from sender_accounts.mail.imap_probe import PinnedImapClient


def last_line(response: Any) -> str:
    lines = [line for line in response.lines if isinstance(line, bytes | bytearray)]
    return bytes(lines[-1]).decode("utf-8", "replace") if lines else str(response.result)


def _password_command(offered: set[str], login: MailServerLogin) -> tuple[str, tuple[str, ...]]:
    """AUTHENTICATE PLAIN with an initial response where offered (any user name, one round
    trip); otherwise LOGIN with both arguments as quoted strings (RFC 3501 9), never bare:
    aioimaplib's login() sends the user name unquoted, so a space or parenthesis broke it."""
    if {"AUTH=PLAIN", "SASL-IR"} <= offered:
        return "AUTHENTICATE", ("PLAIN", sasl_plain(login.username, login.password))
    return "LOGIN", (imap_quoted(login.username), imap_quoted(login.password))


async def log_in(client: PinnedImapClient, login: MailServerLogin) -> Any:
    """Log in as `login` says; the tagged response (OK, NO or BAD) for the caller to judge."""
    protocol = client.protocol
    offered = {capability.upper() for capability in protocol.capabilities}
    protocol.sasl_answers = []
    if login.mechanism is AuthMechanism.XOAUTH2:
        if "AUTH=XOAUTH2" not in offered:
            raise ProbeFailure(ErrorCode.CONNECTION_FAILED, "The server does not offer XOAUTH2")
        payload = xoauth2_response(login.username, login.password)
        name, scrub = "AUTHENTICATE", payload
        if "SASL-IR" in offered:
            arguments: tuple[str, ...] = ("XOAUTH2", payload)
        else:  # the response follows the server's first "+"
            arguments = ("XOAUTH2",)
            protocol.sasl_answers = [payload.encode("ascii")]
    else:
        name, arguments = _password_command(offered, login)
        scrub = arguments[-1]
    command = aioimaplib.Command(name, protocol.new_tag(), *arguments, loop=protocol.loop)
    # aioimaplib's state lock is not taken: nothing here waits on the state, and a lock held
    # across the network is one a misbehaving server can keep.
    response = await client.bounded(protocol.execute(command, scrub=scrub))
    if response.result == "OK":
        protocol.state = aioimaplib.AUTH
    return response
