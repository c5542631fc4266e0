"""A webhook's URL under the outbound rule, and one POST to it.

The rule is the mail hosts': the host is resolved once (the product's resolver, DNS_NAMESERVERS
when set), every address must be public (or inside ALLOWED_PRIVATE_NETWORKS, locally), and the
connection is pinned to the address resolved, so a name that later resolves elsewhere (DNS
rebinding) cannot redirect it. It is checked when the URL is set and again at every delivery.
`https` only, but for allow-listed addresses (the local stack's loopback receivers).
"""

from __future__ import annotations

import http.client
import ipaddress
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from sender_accounts.adapters.dns_lookup import DnsLookup
from sender_accounts.mail.policy import IpAddress, OutboundPolicy, is_address_allowed
from sender_accounts.oauth.token_endpoint import CutOff, PinnedHttp, PinnedHttps, PinnedUrl

TIMEOUT_SECONDS = 10.0
KEPT_ANSWER_BYTES = 1024
USER_AGENT = "sender-accounts-webhooks/1.0"


class UrlRefused(Exception):
    """The URL breaks the outbound rule; `reason` says how (never the URL's query)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _addresses(host: str, lookup: DnsLookup) -> list[IpAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    found: list[IpAddress] = []
    answered = False
    for rdtype in ("A", "AAAA"):
        records = lookup.records(host, rdtype)
        answered = answered or records is not None
        found.extend(ipaddress.ip_address(record) for record in records or ())
    if not found:
        why = "" if answered else " (no DNS answer)"
        raise UrlRefused(f"the host {host} could not be resolved{why}")
    return found


def pin_url(url: str, policy: OutboundPolicy, lookup: DnsLookup) -> PinnedUrl:
    """`url` checked against the outbound rule and resolved once."""
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise UrlRefused("must be an https URL")
    if parts.username or parts.password or "@" in parts.netloc:
        raise UrlRefused("must not carry credentials")
    if parts.fragment:
        raise UrlRefused("must not carry a fragment")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UrlRefused("has an invalid port") from None
    host = parts.hostname
    addresses = _addresses(host, lookup)
    if not all(is_address_allowed(address, policy) for address in addresses):
        raise UrlRefused(f"the host {host} is not publicly routable")
    allow_listed = all(policy.allow_listed(address) for address in addresses)
    if parts.scheme == "http" and not allow_listed:
        raise UrlRefused("must be an https URL")
    if port != 443 and port < 1024 and not allow_listed:
        raise UrlRefused("must use port 443 or a port from 1024")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return PinnedUrl(parts.scheme, host, port, path, str(addresses[0]))


@dataclass(frozen=True)
class Answer:
    """What one POST got: the status (none when no answer came), how long it took, what went
    wrong (`error_class`: none on a 2xx) and the first KiB of the answer."""

    status_code: int | None
    latency_ms: int
    error_class: str | None
    excerpt: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.error_class is None


def _error_class(status: int) -> str | None:
    if 200 <= status < 300:
        return None
    return "REDIRECT_NOT_FOLLOWED" if 300 <= status < 400 else f"HTTP_{status}"


def post(target: PinnedUrl, headers: dict[str, str], body: str) -> Answer:
    """One POST within TIMEOUT_SECONDS in all; a redirect is an answer, never followed."""
    started = time.monotonic()
    kind = PinnedHttps if target.scheme == "https" else PinnedHttp
    connection = kind(target, TIMEOUT_SECONDS)
    status: int | None = None
    excerpt: bytes = b""
    error: str | None
    with CutOff(connection, TIMEOUT_SECONDS) as cut_off:
        try:
            connection.request("POST", target.path, body=body.encode(), headers=headers)
            response = connection.getresponse()
            status = response.status
            excerpt = response.read(KEPT_ANSWER_BYTES)  # the rest is never read
            error = "TIMEOUT" if cut_off.fired.is_set() else _error_class(status)
        except ssl.SSLError:
            error = "TIMEOUT" if cut_off.fired.is_set() else "TLS_ERROR"
        except TimeoutError:
            error = "TIMEOUT"
        except (OSError, http.client.HTTPException):
            error = "TIMEOUT" if cut_off.fired.is_set() else "CONNECTION_FAILED"
        finally:
            connection.close()
    latency = int((time.monotonic() - started) * 1000)
    shown = excerpt.decode("utf-8", "replace") if excerpt else None
    return Answer(status, latency, error, shown)
