"""The provider's token endpoint over HTTPS: exchanging a consent's code and refreshing.

Its URL obeys the rule mail hosts obey: resolved once, every address public (or inside
ALLOWED_PRIVATE_NETWORKS), the connection pinned to the address resolved, TLS verified against
the URL's host name. Plain http is taken only for an allow-listed address (local development
and tests), since the client secret and the tokens travel in these requests.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import socket
import ssl
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from sender_accounts.mail.operation_deadline import time_left
from sender_accounts.mail.policy import OutboundPolicy, is_address_allowed
from sender_accounts.mail.tls import client_tls_context

_MAX_ANSWER_BYTES = 64 * 1024


class EndpointRefused(Exception):
    """The URL breaks the outbound rule; `reason` says how (no secret in it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TokenEndpointUnreachable(Exception):
    """No answer: DNS, connection, TLS or timeout. `kind` names which."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


class TokenRequestRefused(Exception):
    """The provider answered with an OAuth error (RFC 6749 5.2): `error` is its code."""

    def __init__(self, status: int, error: str, description: str | None) -> None:
        super().__init__(f"{status} {error}")
        self.status = status
        self.error = error
        self.description = description


@dataclass(frozen=True)
class GrantedTokens:
    """A token endpoint's answer; repr shows no token."""

    access_token: str = field(repr=False)
    expires_in: int
    refresh_token: str | None = field(default=None, repr=False)
    id_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class PinnedUrl:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def pin_endpoint(url: str, policy: OutboundPolicy) -> PinnedUrl:
    """`url` checked against the outbound rule and resolved once."""
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise EndpointRefused("must be an https URL")
    if parts.username or parts.password or parts.fragment:
        raise EndpointRefused("must not carry credentials or a fragment")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        raise EndpointRefused(f"the host {parts.hostname} could not be resolved") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses or not all(is_address_allowed(a, policy) for a in addresses):
        raise EndpointRefused(f"the host {parts.hostname} is not publicly routable")
    allow_listed = all(policy.allow_listed(a) for a in addresses)
    if parts.scheme == "http" and not allow_listed:
        raise EndpointRefused("must be an https URL")
    if port != 443 and not allow_listed:
        raise EndpointRefused("must use port 443")
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    return PinnedUrl(parts.scheme, parts.hostname, port, path, str(addresses[0]))


class PinnedHttps(http.client.HTTPSConnection):
    """HTTPS to the resolved address, the certificate checked against the URL's host."""

    def __init__(self, target: PinnedUrl, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=client_tls_context())
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class PinnedHttp(http.client.HTTPConnection):
    def __init__(self, target: PinnedUrl, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class CutOff:
    """Shuts a connection's socket down at its deadline: a socket timeout bounds each read,
    not the request, and an endpoint that trickles a header line now and then never trips it."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float) -> None:
        self.fired = threading.Event()
        self._connection = connection
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def _cut(self) -> None:
        self.fired.set()
        sock = self._connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> CutOff:
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()


def post_form(url: str, form: dict[str, str], policy: OutboundPolicy, timeout: float) -> Any:
    """POST `form` to `url` within `timeout` in all (and within the operation's deadline); the
    JSON answer of a 2xx, else TokenRequestRefused."""
    seconds = time_left(timeout)
    target = pin_endpoint(url, policy)
    if seconds <= 0:
        raise TokenEndpointUnreachable("TIMEOUT", f"No time was left to ask {target.host}")
    kind = PinnedHttps if target.scheme == "https" else PinnedHttp
    connection = kind(target, seconds)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    with CutOff(connection, seconds) as cut_off:
        try:
            connection.request("POST", target.path, body=urlencode(form), headers=headers)
            response = connection.getresponse()
            raw = response.read(_MAX_ANSWER_BYTES)
            if cut_off.fired.is_set():  # cut short: what arrived is not the whole answer
                raise _late(target)
        except ssl.SSLError as exc:
            if cut_off.fired.is_set():
                raise _late(target) from exc
            raise TokenEndpointUnreachable("SSL_ERROR", f"TLS with {target.host} failed") from exc
        except TimeoutError as exc:
            raise _late(target) from exc
        except (OSError, http.client.HTTPException) as exc:
            if cut_off.fired.is_set():
                raise _late(target) from exc
            raise TokenEndpointUnreachable(
                "CONNECTION_FAILED", f"The connection to {target.host} failed"
            ) from exc
        finally:
            connection.close()
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    if 200 <= response.status < 300:
        return answer
    error = str(answer.get("error") or f"http_{response.status}")[:100]
    description = answer.get("error_description")
    raise TokenRequestRefused(
        response.status, error, str(description)[:300] if description else None
    )


def _late(target: PinnedUrl) -> TokenEndpointUnreachable:
    return TokenEndpointUnreachable("TIMEOUT", f"{target.host} did not answer in time")


def granted(answer: dict[str, Any]) -> GrantedTokens:
    token = answer.get("access_token")
    if not isinstance(token, str) or not token:
        raise TokenRequestRefused(200, "no_access_token", "The answer carried no access token")
    try:
        expires_in = int(answer.get("expires_in") or 3600)
    except (TypeError, ValueError):
        expires_in = 3600
    refresh, id_token = answer.get("refresh_token"), answer.get("id_token")
    return GrantedTokens(
        access_token=token,
        expires_in=expires_in,
        refresh_token=refresh if isinstance(refresh, str) and refresh else None,
        id_token=id_token if isinstance(id_token, str) and id_token else None,
    )
