"""The secret-presentation rule: a stored password is only ever presented to the endpoint it was
stored with (host, port, username and effective security mode).

A key with write scope could otherwise point an inbox at a listener of its own, with security
`none`, and have the next validation send the stored password there in clear. So a change of
any of those four needs the password again in the same request, and every stored inbox's
connection is built from its stored fields alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sender_accounts.errors import FieldRuleViolated
from sender_accounts.mail.endpoints import (
    AuthMechanism,
    MailServerLogin,
    Security,
    imap_security,
    smtp_security,
)
from sender_accounts.store.records import InboxRecord

if TYPE_CHECKING:  # the request model loads only where a request is parsed
    from sender_accounts.accounts.models import UpdateSenderAccountRequest

PROTOCOLS = ("smtp", "imap")


@dataclass(frozen=True)
class Endpoint:
    """Where a password goes: what must not change without the password."""

    host: str
    port: int
    username: str
    security: Security
    chosen: bool = False  # the security mode was given explicitly

    def login(
        self,
        password: str,
        sender: str | None = None,
        mechanism: AuthMechanism = AuthMechanism.PASSWORD,
    ) -> MailServerLogin:
        return MailServerLogin(
            self.host, self.port, self.security, self.username, password, self.chosen, sender,
            mechanism=mechanism,
        )  # fmt: skip


def endpoint(inbox: InboxRecord, protocol: str, overrides: dict[str, Any]) -> Endpoint:
    """The endpoint of `protocol` for a stored inbox, with a request's changes over it."""

    def pick(field: str) -> Any:
        name = f"{protocol}_{field}"
        return overrides[name] if name in overrides else getattr(inbox, name)

    port = int(pick("port"))
    override = pick("security")
    chosen = Security(override) if override else None
    if protocol == "smtp":
        security = smtp_security(port, bool(pick("use_tls")), chosen)
    else:
        security = imap_security(port, bool(pick("use_ssl")), chosen)
    return Endpoint(str(pick("host")), port, str(pick("username")), security, chosen is not None)


def stored_login(
    inbox: InboxRecord,
    protocol: str,
    password: str,
    mechanism: AuthMechanism = AuthMechanism.PASSWORD,
    hosts: dict[str, Any] | None = None,
) -> MailServerLogin:
    """The login for a stored inbox, exactly as stored (an OAuth2 inbox's at its app's
    `hosts`): the only place its password (or access token) may go."""
    sender = inbox.email_address if protocol == "smtp" else None
    return endpoint(inbox, protocol, hosts or {}).login(password, sender, mechanism)


def connection_overrides(request: UpdateSenderAccountRequest) -> dict[str, Any]:
    """The connection fields a PATCH gives, passwords aside, as they would be stored."""
    return {
        name: value.value if isinstance(value, Security) else value
        for name in request.CONNECTION_FIELDS
        if name in request.given() and not name.endswith("_password") and name != "token"
        for value in [getattr(request, name)]
    }


def moved_endpoints(
    inbox: InboxRecord, request: UpdateSenderAccountRequest, overrides: dict[str, Any]
) -> list[str]:
    """The protocols whose endpoint the request changes; each needs its password given.

    Raises a 422 naming the first missing password before anything is decrypted or sent."""
    moved = [
        protocol
        for protocol in PROTOCOLS
        if endpoint(inbox, protocol, overrides) != endpoint(inbox, protocol, {})
    ]
    for protocol in moved:
        # An OAuth2 inbox's tokens are its secret for both protocols.
        field = "token" if inbox.auth_type == "OAUTH2" else f"{protocol}_password"
        if field not in request.given():
            raise FieldRuleViolated(
                field,
                f"must be given when {protocol}_host, {protocol}_port, {protocol}_username or "
                f"the {protocol.upper()} security mode changes: a stored secret is only sent "
                "to the server it was validated with",
            )
    return moved
