"""Which TLS mode a server speaks, when the user did not say: ColdSend's fields cannot express
"implicit TLS on this port", and hosting providers run implicit-TLS submission on numbers other
than 465. A server that sends no greeting within GREETING_WINDOW_SECONDS where a plaintext
greeting was expected is asked again with a TLS handshake on a new connection; a plaintext
answer to a TLS handshake is asked again in clear (then upgraded with STARTTLS). What worked is
left on the login (`detected`), for the use case to store as the inbox's explicit mode.
"""

from __future__ import annotations

import ssl
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sender_accounts.mail.endpoints import MailServerLogin, Security
from sender_accounts.mail.failures import ProbeFailure
from sender_accounts.mail.outcome import ErrorCode

GREETING_WINDOW_SECONDS = 1.5
# OpenSSL's words for a server that answered a ClientHello with plaintext ("220 ...", "* OK").
_PLAINTEXT_REASONS = {"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG"}

Session = TypeVar("Session")
# Opens a session in the given mode, waiting at most the given seconds for the greeting.
OpenAs = Callable[[Security, float], Awaitable[Session]]


class NoGreeting(ProbeFailure):
    """The server said nothing within the wait (a TIMEOUT when no other mode answers)."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.TIMEOUT, "The server sent no greeting in time")


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and all(link is not s for s in seen):
        seen.append(link)
        link = link.__cause__ or link.__context__
    return seen


def spoke_plaintext(exc: BaseException) -> bool:
    """Did the TLS handshake fail because the server speaks plaintext on this port?"""
    return any(
        isinstance(link, ssl.SSLError)
        and not isinstance(link, ssl.SSLCertVerificationError)
        and (link.reason in _PLAINTEXT_REASONS or "wrong version number" in str(link))
        for link in _chain(exc)
    )


def _certificate_refused(exc: BaseException) -> bool:
    return any(isinstance(link, ssl.SSLCertVerificationError) for link in _chain(exc))


async def open_detecting(
    login: MailServerLogin, step_timeout: float, open_as: OpenAs[Session]
) -> Session:
    """A session in the login's mode, or in the one the server turns out to speak."""
    if login.chosen:
        return await open_as(login.security, step_timeout)
    if login.security is Security.SSL:
        try:
            return await open_as(Security.SSL, step_timeout)
        except Exception as exc:
            if not spoke_plaintext(exc):
                raise
        session = await open_as(Security.STARTTLS, step_timeout)
        login.detected.security = Security.STARTTLS
        return session
    try:
        return await open_as(login.security, min(GREETING_WINDOW_SECONDS, step_timeout))
    except NoGreeting:
        pass
    try:
        session = await open_as(Security.SSL, step_timeout)
    except Exception as exc:
        if _certificate_refused(exc):
            raise  # it does speak TLS: the certificate is the answer
        # Not TLS either: a slow server after all, given the whole wait in its own mode.
        session = await open_as(login.security, step_timeout)
        if login.security is not Security.NONE:
            # Remembered, so later checks wait for it at once instead of opening three
            # connections each time. A cleartext rule is not: stored, `none` would be explicit
            # and forbid the opportunistic STARTTLS upgrade.
            login.detected.security = login.security
        return session
    login.detected.security = Security.SSL
    return session
