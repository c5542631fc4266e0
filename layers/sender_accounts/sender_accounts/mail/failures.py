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

    def __init__(self, code: ErrorCode, reason: str, server_reply: str | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.server_reply = server_reply


CLEARTEXT_REFUSED_HINT = (
    "The server refuses logins over a connection in clear: use TLS (smtp_security or "
    'imap_security "starttls" or "ssl", or leave it unset: STARTTLS is then used whenever '
    "the server offers it)"
)


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
            return ProbeFailure(
                ErrorCode.SSL_ERROR, CLEARTEXT_REFUSED_HINT, f"{link.code} {link.message}"
            )
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
