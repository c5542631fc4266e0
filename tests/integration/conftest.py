"""Fixtures the integration modules share."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from local_stack.mail_server import MailServer, start_mail_server
from local_stack.pki import ServerPki
from tests.support.dns_server import Zone, dns_server
from tests.support.mail_servers import oauth2_options
from tests.support.oauth_server import OAuthProvider
from tests.support.secret_scan import SCAN


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


OAUTH_CLIENT_ID = "sender-accounts-test-client"
OAUTH_CLIENT_SECRET = "client-secret-Zq8vLw2m"
OAUTH_USER = "oauth.sender@acme.test"
OAUTH_OTHER_USER = "someone.else@acme.test"


@pytest.fixture(scope="session")
def oauth_provider() -> Iterator[OAuthProvider]:
    """An OAuth2 provider on loopback that issues, refreshes, introspects and revokes."""
    provider = OAuthProvider(
        clients={OAUTH_CLIENT_ID: OAUTH_CLIENT_SECRET},
        default_user=OAUTH_USER,
        on_issue=SCAN.register,
    )
    provider.start()
    SCAN.register(OAUTH_CLIENT_SECRET)
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def oauth_mail_server(
    mail_server: MailServer, pki: ServerPki, oauth_provider: OAuthProvider
) -> Iterator[MailServer]:
    """A Dovecot whose OAuth2 passdb asks `oauth_provider` about every XOAUTH2 token (the
    session's `mail_server` is a prerequisite only for its installation check)."""
    users = {OAUTH_USER: "unused-password", OAUTH_OTHER_USER: "unused-password"}
    options = oauth2_options(f"{oauth_provider.issuer}/introspect")
    server = start_mail_server(pki, users, options=options)
    yield server
    server.stop()
