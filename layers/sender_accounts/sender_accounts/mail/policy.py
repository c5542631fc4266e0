"""Which addresses and ports validation may connect to: the outbound rule, without I/O."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Submission, SMTP relay and IMAP ports; anything else on a public address is not a mail server
# a user would connect, and dialling it would make the API a port scanner.
DEFAULT_MAIL_PORTS = frozenset({25, 465, 587, 2525, 143, 993})


@dataclass(frozen=True)
class OutboundPolicy:
    """Where validation may connect: public addresses on mail ports, and any port inside the
    networks an operator allow-listed (local development and tests)."""

    private_networks: tuple[IpNetwork, ...] = ()
    public_ports: frozenset[int] = DEFAULT_MAIL_PORTS

    def allow_listed(self, address: IpAddress) -> bool:
        candidates = {address, _effective_address(address)}
        return any(
            candidate.version == net.version and candidate in net
            for candidate in candidates
            for net in self.private_networks
        )


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: a gateway on the path may
# translate them to that IPv4 address, so the IPv4 rule must apply to what they embed.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052 well-known prefix
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # RFC 4291, deprecated but still parsed
_IPV4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")  # RFC 2765 SIIT
# Refused outright: local-use NAT64 (RFC 8215) maps to whatever the operator chose, and
# site-local (RFC 3879, deprecated) is private by intent.
_ALWAYS_REFUSED = (ipaddress.IPv6Network("64:ff9b:1::/48"), ipaddress.IPv6Network("fec0::/10"))


# IANA's special-purpose registries (RFC 6890 and later), the entries not globally reachable,
# listed here rather than read from `ipaddress`, whose answers change with the runtime's patch
# level (3.12.1 called 192.0.0.8, 3fff::/20 and 5f00::/16 global).
_SPECIAL_IPV4 = tuple(
    ipaddress.IPv4Network(net)
    for net in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    )
)  # fmt: skip
_SPECIAL_IPV6 = tuple(
    ipaddress.IPv6Network(net)
    for net in (
        "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b:1::/48", "100::/64", "100:0:0:1::/64",
        "2001::/23", "2001:db8::/32", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10",
        "fec0::/10", "ff00::/8",
    )
)  # fmt: skip


def _special_purpose(address: IpAddress) -> bool:
    if isinstance(address, ipaddress.IPv4Address):
        return any(address in net for net in _SPECIAL_IPV4)
    return any(address in net for net in _SPECIAL_IPV6)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _NAT64 or address in _IPV4_TRANSLATED:
        return low32
    if address in _IPV4_COMPATIBLE and int(address) > 1:  # not :: or ::1
        return low32
    return None


def _effective_address(address: IpAddress) -> IpAddress:
    if isinstance(address, ipaddress.IPv6Address):
        return _embedded_ipv4(address) or address
    return address


def is_address_allowed(address: IpAddress, policy: OutboundPolicy) -> bool:
    """True for a globally routable unicast address, or one inside an allow-listed network."""
    if policy.allow_listed(address):
        return True
    if isinstance(address, ipaddress.IPv6Address) and any(
        address in net for net in _ALWAYS_REFUSED
    ):
        return False
    effective = _effective_address(address)
    if effective is not address:
        # The embedded IPv4 address decides (the IPv6 form of a translation prefix is
        # never "global" by itself, yet 64:ff9b::808:808 is a public server).
        return not _special_purpose(effective) and effective.is_global
    return not _special_purpose(address) and address.is_global and not address.is_multicast
