"""Which security mode a connection uses, from the contract's port-and-flag rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class Destination(Protocol):
    """Where a connection goes: a login, an endpoint, anything with a host and a port."""

    @property
    def host(self) -> str: ...

    @property
    def port(self) -> int: ...


class AuthMechanism(StrEnum):
    """How a login proves itself: the mailbox password, or an OAuth2 access token (SASL
    XOAUTH2, as Google and Microsoft take it)."""

    PASSWORD = "password"  # noqa: S105 - the mechanism's name, not a secret
    XOAUTH2 = "xoauth2"


class Security(StrEnum):
    SSL = "ssl"
    STARTTLS = "starttls"
    NONE = "none"


def smtp_security(port: int, use_tls: bool, override: Security | None = None) -> Security:
    """Port 465 is implicit TLS; any other port uses STARTTLS when TLS is on."""
    if override is not None:
        return override
    if port == 465:
        return Security.SSL
    return Security.STARTTLS if use_tls else Security.NONE


def imap_security(port: int, use_ssl: bool, override: Security | None = None) -> Security:
    """Port 143 upgrades with STARTTLS; any other port is implicit TLS when SSL is on."""
    if override is not None:
        return override
    if port == 143:
        return Security.STARTTLS if use_ssl else Security.NONE
    return Security.SSL if use_ssl else Security.NONE


@dataclass
class DetectedMode:
    """The mode a probe found the server speaking, when finding it took more than the
    port-and-flag rule's first try (implicit TLS on an unusual port, a plaintext greeting where
    TLS was assumed, a server slow to greet); the use case stores it as the inbox's explicit
    mode."""

    security: Security | None = None


@dataclass(frozen=True)
class MailServerLogin:
    """Where and how to log in to one server; repr never shows the password (or, for XOAUTH2,
    the access token it holds). `chosen`: the security mode was given explicitly
    (`smtp_security`/`imap_security`), not derived."""

    host: str
    port: int
    security: Security
    username: str
    password: str = field(repr=False)
    chosen: bool = False
    # SMTP: the address the inbox sends as; validation asks the server whether it takes it.
    sender: str | None = None
    detected: DetectedMode = field(default_factory=DetectedMode, compare=False, repr=False)
    mechanism: AuthMechanism = AuthMechanism.PASSWORD

    @property
    def upgrades_when_offered(self) -> bool:
        """Cleartext by the port-and-flag rule only: STARTTLS is used whenever the server
        offers it, so a password never crosses in clear where TLS was available. Only an
        explicit `none` keeps the session in clear."""
        return self.security is Security.NONE and not self.chosen


def detected_modes(smtp: MailServerLogin, imap: MailServerLogin) -> dict[str, Security]:
    """The modes TLS detection found, by the inbox field that stores them explicitly."""
    return {
        f"{protocol}_security": login.detected.security
        for protocol, login in (("smtp", smtp), ("imap", imap))
        if login.detected.security is not None
    }
