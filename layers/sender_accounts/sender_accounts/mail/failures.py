"""The classes a failed connection falls into, and how an exception is classified."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator

import aioimaplib
import aiosmtplib

from sender_accounts.mail.outcome import ErrorCode


class ProbeFailure(Exception):
    """A classified failure of one connection; `reason` and `server_reply` are free of secrets."""

    def __init__(
        self,
        code: ErrorCode,
        reason: str,
        server_reply: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.server_reply = server_reply
        self.hint = hint


CLEARTEXT_REFUSED = "The server refuses logins over a connection in clear"
CLEARTEXT_REFUSED_HINT = (
    'Use TLS: set smtp_security / imap_security to "starttls" or "ssl", or leave it unset '
    "(STARTTLS is then used whenever the server offers it)."
)
SENDER_REJECTED_HINT = (
    "The server does not let this login send as the inbox's address: connect the login that "
    "owns the address, or ask the provider to allow it (a send-as permission or alias)."
)


def over_limit(what: str) -> ProbeFailure:
    """A server that sent more than a validation needs: a protocol failure, the session ended."""
    return ProbeFailure(
        ErrorCode.CONNECTION_FAILED,
        f"Protocol failure: the server sent more than a validation needs ({what})",
    )


def cleartext_refused(server_reply: str | None = None) -> ProbeFailure:
    hint = CLEARTEXT_REFUSED_HINT
    return ProbeFailure(ErrorCode.SSL_ERROR, CLEARTEXT_REFUSED, server_reply, hint)


def refused_for_cleartext(code: int | None, text: str) -> bool:
    """A refusal that is about the connection's security, not the credentials: SMTP 523
    (5.7.10 encryption needed, RFC 5248), 538, or 530 naming TLS or plaintext; IMAP's
    [PRIVACYREQUIRED] (RFC 5530) or a NO naming them."""
    lowered = text.lower()
    names_tls = any(
        word in lowered for word in ("starttls", "tls", "ssl", "encrypt", "plaintext", "cleartext")
    )
    if code is not None:
        return code in {523, 538} or (code == 530 and names_tls)
    return "[privacyrequired]" in lowered or (
        names_tls and any(word in lowered for word in ("required", "plaintext", "cleartext"))
    )


def _refused_after_login(link: BaseException) -> ProbeFailure | None:
    """A sender, recipient or message refused once logged in: what was refused, with the
    server's reply; a 4xx is the server's state for now, not a verdict."""
    if isinstance(link, aiosmtplib.SMTPRecipientsRefused) and link.recipients:
        first = link.recipients[0]
        return sender_or_recipient_refused(first.code, first.message)
    if isinstance(link, aiosmtplib.SMTPRecipientRefused):
        return sender_or_recipient_refused(link.code, link.message)
    if isinstance(link, aiosmtplib.SMTPSenderRefused):
        return refused_reply(ErrorCode.SENDER_REJECTED, link.code, link.message)
    if isinstance(link, aiosmtplib.SMTPDataError):
        return refused_reply(ErrorCode.MESSAGE_REJECTED, link.code, link.message)
    return None


def sender_or_recipient_refused(code: int, message: str) -> ProbeFailure:
    """A RCPT refusal: about the sender when the server says so (Postfix checks sender
    ownership at RCPT: "Sender address rejected"), else about the recipient."""
    about_sender = "sender" in message.lower()
    kind = ErrorCode.SENDER_REJECTED if about_sender else ErrorCode.RECIPIENT_REJECTED
    return refused_reply(kind, code, message)


def refused_reply(kind: ErrorCode, code: int, message: str) -> ProbeFailure:
    reply = f"{code} {message}"
    if code < 500:
        return ProbeFailure(ErrorCode.CONNECTION_FAILED, "The server refused it for now", reply)
    if kind is ErrorCode.SENDER_REJECTED:
        return ProbeFailure(kind, "The server refuses this sender", reply, SENDER_REJECTED_HINT)
    what = "recipient" if kind is ErrorCode.RECIPIENT_REJECTED else "message"
    return ProbeFailure(kind, f"The server refuses this {what}", reply)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def classify(exc: BaseException) -> ProbeFailure:
    """Map any exception raised while probing to one of the contract's classes."""
    chain = list(_causes(exc))
    for link in chain:
        if isinstance(link, ProbeFailure):
            return link
    for link in chain:
        # A correct password refused because the connection is in clear (530 5.7.0 "Must
        # issue a STARTTLS command first", 538 "Encryption required") is no credential error.
        if isinstance(link, aiosmtplib.SMTPResponseException) and refused_for_cleartext(
            link.code, link.message
        ):
            return cleartext_refused(f"{link.code} {link.message}")
    for link in chain:
        refused = _refused_after_login(link)
        if refused is not None:
            return refused
    for link in chain:
        # Only a permanent refusal (535, 534, ...) is about the credentials; a 4xx answer to
        # AUTH (421 too many connections, 454 temporary failure) is the server's state.
        if isinstance(link, aiosmtplib.SMTPAuthenticationError) and link.code >= 500:
            return ProbeFailure(
                ErrorCode.AUTH_FAILED,
                "Authentication failed",
                f"{link.code} {link.message}",
            )
    for link in chain:
        if isinstance(link, ssl.SSLCertVerificationError):
            return ProbeFailure(
                ErrorCode.SSL_ERROR, f"Certificate verification failed: {link.verify_message}"
            )
        if isinstance(link, ssl.SSLError):
            return ProbeFailure(ErrorCode.SSL_ERROR, f"TLS handshake failed: {link.reason or link}")
    for link in chain:
        if isinstance(
            link,
            TimeoutError
            | asyncio.TimeoutError
            | aiosmtplib.SMTPTimeoutError
            | aioimaplib.CommandTimeout,
        ):
            return ProbeFailure(ErrorCode.TIMEOUT, "The server did not answer in time")
    for link in chain:
        if isinstance(link, aiosmtplib.SMTPResponseException):
            if link.code == -1 and "too long" in link.message:  # aiosmtplib's 32 KiB reply cap
                return over_limit("a reply over 32 KiB")
            if not 200 <= link.code <= 599:
                # Not an SMTP reply at all (another service on the port): never echoed back,
                # or the API would show any banner on any port to whoever asks.
                return ProbeFailure(
                    ErrorCode.CONNECTION_FAILED, "The server's answer is not an SMTP reply"
                )
            return ProbeFailure(
                ErrorCode.CONNECTION_FAILED,
                "The server refused the session",
                f"{link.code} {link.message}",
            )
        if isinstance(link, ConnectionRefusedError):
            return ProbeFailure(ErrorCode.CONNECTION_FAILED, "Connection refused")
        if isinstance(link, aiosmtplib.SMTPServerDisconnected | ConnectionError | EOFError):
            return ProbeFailure(ErrorCode.CONNECTION_FAILED, "The server closed the connection")
    return ProbeFailure(ErrorCode.CONNECTION_FAILED, f"Connection failed: {type(exc).__name__}")
