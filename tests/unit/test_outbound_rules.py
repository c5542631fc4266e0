"""Which addresses the outbound rule lets through, and which security mode a port gets."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from sender_accounts.mail.endpoints import Security, imap_security, smtp_security
from sender_accounts.mail.failures import ProbeFailure
from sender_accounts.mail.outbound import resolve_allowed
from sender_accounts.mail.outcome import ErrorCode
from sender_accounts.mail.policy import OutboundPolicy, is_address_allowed
from sender_accounts.mail.redaction import redact
from tests.support.secret_scan import secret_spellings

REFUSED = [
    # IANA special-purpose ranges that some runtimes' ipaddress calls global (3.12.1 does)
    "192.0.0.8",
    "3fff::1",
    "5f00::1",
    "100::1",
    "198.18.0.1",
    "2001:db8::1",
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "::1",
    "fd00::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "2002:7f00:1::",
    # IPv6 forms that embed a private IPv4 address, or are private by definition
    "64:ff9b::a9fe:a9fe",
    "64:ff9b::a00:1",
    "64:ff9b::7f00:1",
    "64:ff9b:1::a00:1",
    "64:ff9b:1::808:808",
    "::7f00:1",
    "::a00:1",
    "::a9fe:a9fe",
    "::ffff:0:7f00:1",
    "::ffff:0:a9fe:a9fe",
    "fec0::1",
    "feff::1",
    "::",
]


@pytest.mark.parametrize("address", REFUSED)
def test_non_global_addresses_are_refused(address: str) -> None:
    assert not is_address_allowed(ipaddress.ip_address(address), OutboundPolicy())


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "2607:f8b0:4004:800::200e", "1.1.1.1", "64:ff9b::808:808", "::ffff:0:808:808"],
)
def test_global_addresses_are_allowed(address: str) -> None:
    assert is_address_allowed(ipaddress.ip_address(address), OutboundPolicy())


def test_allow_list_opens_only_its_networks() -> None:
    loopback = OutboundPolicy((ipaddress.ip_network("127.0.0.0/8"),))
    assert is_address_allowed(ipaddress.ip_address("127.0.0.1"), loopback)
    assert not is_address_allowed(ipaddress.ip_address("10.0.0.1"), loopback)


SPELLINGS = [
    "127.1",
    "2130706433",
    "0x7f000001",
    "0x7f.0.0.1",
    "0177.0.0.1",
    "0177.0.0.01",
    "017700000001",
    "localhost",
    "::1",
    "0:0:0:0:0:0:0:1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:a9fe:a9fe",
    "169.254.169.254",
    "2852039166",
    "0xa9fea9fe",
    "100.100.100.200",
    "fd12:3456::1",
    "fe80::1",
    "0.0.0.0",
    "10.0.0.1",
    "192.168.0.1",
    "172.31.255.255",
    "64:ff9b::169.254.169.254",
    "64:ff9b::10.0.0.1",
    "::127.0.0.1",
    "::ffff:0:127.0.0.1",
    "fec0::1",
]


@pytest.mark.parametrize("host", SPELLINGS)
def test_other_spellings_of_loopback_are_refused(host: str) -> None:
    with pytest.raises(ProbeFailure) as raised:
        asyncio.run(resolve_allowed(host, 25, OutboundPolicy(), timeout=5))
    assert raised.value.code is ErrorCode.HOST_NOT_ALLOWED


@pytest.mark.parametrize(
    ("port", "flag", "expected"),
    [
        (465, True, Security.SSL),
        (465, False, Security.SSL),
        (587, True, Security.STARTTLS),
        (25, False, Security.NONE),
    ],
)
def test_smtp_security_rule(port: int, flag: bool, expected: Security) -> None:
    assert smtp_security(port, flag) is expected


@pytest.mark.parametrize(
    ("port", "flag", "expected"),
    [
        (143, True, Security.STARTTLS),
        (143, False, Security.NONE),
        (993, True, Security.SSL),
        (993, False, Security.NONE),
    ],
)
def test_imap_security_rule(port: int, flag: bool, expected: Security) -> None:
    assert imap_security(port, flag) is expected


def test_override_wins_over_the_port_rule() -> None:
    assert smtp_security(465, True, Security.STARTTLS) is Security.STARTTLS
    assert imap_security(143, True, Security.SSL) is Security.SSL


def test_redaction_covers_plain_and_base64_spellings() -> None:
    secret = "p@ss-w0rd"
    spellings = secret_spellings([("user@acme.test", secret)])
    reply = "535 bad credentials for " + " / ".join(spellings)
    cleaned = redact(reply, [("user@acme.test", secret)])
    assert all(s not in cleaned for s in spellings)
    assert cleaned.startswith("535 bad credentials")


@pytest.mark.parametrize("port", [25, 465, 587, 2525, 143, 993])
def test_public_addresses_take_the_mail_ports(port: int) -> None:
    asyncio.run(resolve_allowed("8.8.8.8", port, OutboundPolicy(), timeout=5))


@pytest.mark.parametrize("port", [22, 80, 6379, 8080, 11211, 65535])
def test_public_addresses_refuse_other_ports(port: int) -> None:
    # Given a public address on a port that is not a mail port
    # When it is resolved for a connection
    with pytest.raises(ProbeFailure) as raised:
        asyncio.run(resolve_allowed("8.8.8.8", port, OutboundPolicy(), timeout=5))
    # Then it is refused, naming the port and the ports that are allowed
    assert raised.value.code is ErrorCode.HOST_NOT_ALLOWED
    assert f"Port {port} is not a mail port" in raised.value.reason


def test_allow_listed_networks_may_use_any_port() -> None:
    policy = OutboundPolicy((ipaddress.ip_network("127.0.0.0/8"),))
    targets = asyncio.run(resolve_allowed("127.0.0.1", 6379, policy, timeout=5))
    assert targets[0][1][:2] == ("127.0.0.1", 6379)


def test_the_port_list_is_configurable() -> None:
    policy = OutboundPolicy(public_ports=frozenset({587}))
    asyncio.run(resolve_allowed("8.8.8.8", 587, policy, timeout=5))
    with pytest.raises(ProbeFailure):
        asyncio.run(resolve_allowed("8.8.8.8", 25, policy, timeout=5))
