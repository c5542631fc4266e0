"""A password never crosses in clear where TLS was available, and a server that refuses
cleartext logins is no wrong password: against a Dovecot run as hosting providers run it (IMAP
advertises STARTTLS LOGINDISABLED, submission offers AUTH only after STARTTLS), with a wiretap
between client and server. Every session ends with QUIT or LOGOUT, sent without waiting."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from local_stack.mail_server import DOVECOT, MailServer, start_mail_server
from local_stack.pki import ServerPki
from tests.support.mail_servers import STRICT_ADDRESS, strict_options
from tests.support.stack import IN_CI, MAILBOX_PASSWORD, MAILBOX_USER, ApiClient, smtp_account
from tests.support.tap_proxy import Tap, tap


@pytest.fixture(scope="module")
def strict_server(pki: ServerPki) -> Iterator[MailServer]:
    if not os.path.exists(DOVECOT):
        if IN_CI:
            pytest.fail("Dovecot is not installed (make test installs it on Debian)")
        pytest.skip("Dovecot is not installed")
    server = start_mail_server(pki, {MAILBOX_USER: MAILBOX_PASSWORD}, options=strict_options())
    yield server
    server.stop()


@pytest.fixture
def trusted(pki: ServerPki, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_cert))


def _create(
    client: ApiClient, server: MailServer, smtp: Tap, imap: Tap, **overrides: Any
) -> dict[str, Any]:
    body = smtp_account(
        server,
        smtp_port=smtp.port,
        smtp_use_tls=False,
        imap_port=imap.port,
        imap_use_ssl=False,
        **overrides,
    )
    response = client.call("POST", "/sender-accounts/smtp", body)
    return {"status": response.status, **response.json()}


def _in_clear(wiretap: Tap, ending: bytes | None = None) -> bytes:
    """What the client sent; with `ending`, once the last bytes (sent as the session closes,
    so possibly after the API answered) have crossed, within 5 s."""
    deadline = time.monotonic() + 5
    while ending is not None and not wiretap.client_bytes.rstrip().endswith(ending):
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return wiretap.client_bytes


@pytest.mark.usefixtures("trusted")
def test_tls_flags_off_still_upgrade_when_the_server_offers_starttls(
    strict_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    with (
        tap(STRICT_ADDRESS, strict_server.submission_starttls_port) as smtp,
        tap(STRICT_ADDRESS, strict_server.imap_starttls_port) as imap,
    ):
        created = _create(workspace(), strict_server, smtp, imap)
        assert (created["status"], created["overall_status"]) == (201, "ACTIVE"), created
        for wiretap, first in ((smtp, b"EHLO"), (imap, b"STARTTLS")):
            sent = _in_clear(wiretap)
            assert MAILBOX_PASSWORD.encode() not in sent
            assert b"AUTH" not in sent
            assert b"LOGIN" not in sent
            assert first in sent  # the upgrade happened in clear, then only ciphertext


@pytest.mark.usefixtures("trusted")
@pytest.mark.parametrize("protocol", ["smtp", "imap"])
def test_an_explicit_none_against_a_tls_only_server_is_ssl_error_and_no_password_is_sent(
    protocol: str, strict_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    with (
        tap(STRICT_ADDRESS, strict_server.submission_starttls_port) as smtp,
        tap(STRICT_ADDRESS, strict_server.imap_starttls_port) as imap,
    ):
        client = workspace()
        created = _create(client, strict_server, smtp, imap, **{f"{protocol}_security": "none"})
        assert created["status"] == 400, created
        assert created["error_code"] == "SSL_ERROR", created
        assert created["stage"] == protocol
        assert f"{protocol}_security" in created["hint"]
        watched = smtp if protocol == "smtp" else imap
        assert MAILBOX_PASSWORD.encode() not in _in_clear(watched)
        if protocol == "imap":
            assert b"LOGIN" not in _in_clear(imap)  # LOGINDISABLED: never sent
        assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0


@pytest.mark.usefixtures("trusted")
def test_sessions_say_goodbye_without_waiting(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    # A server that allows cleartext (loopback Dovecot) and an explicit none: the tap reads all
    with (
        tap("127.0.0.1", mail_server.submission_starttls_port) as smtp,
        tap("127.0.0.1", mail_server.imap_starttls_port) as imap,
    ):
        created = _create(
            workspace(), mail_server, smtp, imap, smtp_security="none", imap_security="none"
        )
        assert created["status"] == 201, created
        assert _in_clear(smtp, b"QUIT").endswith(b"QUIT\r\n")
        assert _in_clear(imap, b"LOGOUT").rstrip().split()[-1] == b"LOGOUT"
