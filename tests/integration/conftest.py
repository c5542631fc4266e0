"""Fixtures the integration modules share."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.support.dns_server import Zone, dns_server


@pytest.fixture
def zone(settings_env: Callable[[str, str], None]) -> Iterator[Zone]:
    """Domain ownership checked in DNS (not assumed, as the local stack does by default),
    against a real DNS server on loopback: registrations stay pending until a test publishes
    their token."""
    served = Zone()
    with dns_server(served) as address:
        settings_env("DOMAIN_OWNERSHIP_CHECK", "dns")
        settings_env("DNS_NAMESERVERS", address)
        yield served
