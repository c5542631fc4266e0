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
