"""The product's own DNS questions (domain ownership tokens, a mailbox domain's MX, SPF, DMARC
and DKIM records), asked with dnspython.

`DNS_NAMESERVERS` points these lookups, and only these, at other resolvers; connections to
users' mail hosts keep the system resolver. Three answers are kept apart: records found, no
record (NXDOMAIN or an empty answer), and no answer at all (resolver down or slow), so a dead
resolver is never mistaken for a missing record. dnspython loads with the first question: the
webhook functions hold a lookup, and most of their requests ask nothing (an address literal,
a read).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import dns.resolver

DEFAULT_TIMEOUT_SECONDS = 3.0


def parse_nameservers(value: str) -> tuple[tuple[str, int], ...]:
    """`ip[:port]` items, comma-separated; IPv6 with a port as `[::1]:53`."""
    servers: list[tuple[str, int]] = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        if part.startswith("["):
            address, _, port = part[1:].partition("]:")
            servers.append((address.rstrip("]"), int(port or 53)))
        elif part.count(":") == 1:
            address, port = part.split(":")
            servers.append((address, int(port)))
        else:
            servers.append((part, 53))
    return tuple(servers)


@dataclass(frozen=True)
class DnsLookup:
    nameservers: tuple[tuple[str, int], ...] = ()
    timeout: float = DEFAULT_TIMEOUT_SECONDS

    def _resolver(self) -> dns.resolver.Resolver:
        import dns.nameserver
        import dns.resolver

        resolver = dns.resolver.Resolver(configure=not self.nameservers)
        if self.nameservers:
            resolver.nameservers = [
                dns.nameserver.Do53Nameserver(address, port) for address, port in self.nameservers
            ]
        resolver.lifetime = self.timeout
        resolver.timeout = self.timeout
        return resolver

    def txt(self, name: str) -> list[str] | None:
        """The TXT strings at `name`; [] when it has none; None when no answer came."""
        return self.records(name, "TXT")

    def records(self, name: str, rdtype: str) -> list[str] | None:
        """The records of `rdtype` at `name` as text (TXT strings joined); [] when there are
        none (NXDOMAIN or an empty answer); None when no answer came."""
        import dns.exception
        import dns.resolver

        try:
            answer = self._resolver().resolve(name, rdtype, raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            return []
        except (
            dns.resolver.NoNameservers,
            dns.resolver.LifetimeTimeout,
            dns.exception.DNSException,
        ):
            return None
        if answer.rrset is None:
            return []
        if rdtype == "TXT":
            return [b"".join(r.strings).decode("utf-8", "replace") for r in answer.rrset]
        return [record.to_text() for record in answer.rrset]
