"""SASL XOAUTH2 against a real Dovecot whose oauth2 passdb asks a real OAuth2 provider: the
probes log in with an access token, and every refusal is an AUTH_FAILED answered at once (the
server's failure challenge is answered, not waited out)."""

from __future__ import annotations

import asyncio
import ipaddress
import time

import pytest

from local_stack.mail_server import MailServer
from sender_accounts.mail.endpoints import AuthMechanism, MailServerLogin, Security
from sender_accounts.mail.outcome import ErrorCode, StageFailure
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.mail.validation import validate_mailbox
from tests.integration.conftest import OAUTH_CLIENT_ID, OAUTH_OTHER_USER, OAUTH_USER
from tests.support.oauth_server import OAuthProvider

LOOPBACK = OutboundPolicy((ipaddress.ip_network("127.0.0.0/8"),))


def logins(server: MailServer, user: str, token: str) -> tuple[MailServerLogin, MailServerLogin]:
    smtp = MailServerLogin("localhost", server.submission_starttls_port, Security.STARTTLS,
                           user, token, sender=user, mechanism=AuthMechanism.XOAUTH2)  # fmt: skip
    imap = MailServerLogin("localhost", server.imaps_port, Security.SSL, user, token,
                           mechanism=AuthMechanism.XOAUTH2)  # fmt: skip
    return smtp, imap


def validate(server: MailServer, user: str, token: str) -> list[StageFailure]:
    smtp, imap = logins(server, user, token)
    return asyncio.run(validate_mailbox(smtp, imap, LOOPBACK, 8, 20))


def test_a_valid_token_logs_in_to_submission_and_imap(
    oauth_mail_server: MailServer, oauth_provider: OAuthProvider
) -> None:
    tokens = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID)
    assert validate(oauth_mail_server, OAUTH_USER, tokens["access_token"]) == []


@pytest.mark.parametrize("case", ["expired", "another user's", "revoked-style garbage"])
def test_a_refused_token_is_an_auth_failure_answered_at_once(
    oauth_mail_server: MailServer, oauth_provider: OAuthProvider, case: str
) -> None:
    if case == "expired":
        token = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID, expired=True)["access_token"]
    elif case == "another user's":
        token = oauth_provider.issue(OAUTH_OTHER_USER, OAUTH_CLIENT_ID)["access_token"]
    else:
        token = "not-a-token-at-all"
    started = time.monotonic()
    failures = validate(oauth_mail_server, OAUTH_USER, token)
    elapsed = time.monotonic() - started
    assert [(f.stage, f.error_code) for f in failures] == [
        ("smtp", ErrorCode.AUTH_FAILED),
        ("imap", ErrorCode.AUTH_FAILED),
    ]
    # The 8 s step timeout is far away: the challenge was answered, not waited out.
    assert elapsed < 5, elapsed
    assert all(token not in (f.server_reply or "") + f.detail for f in failures)


def test_a_token_too_long_for_the_auth_line_is_sent_after_the_challenge(
    oauth_mail_server: MailServer,
) -> None:
    # Dovecot refuses an AUTH line past 1026 bytes ("500 5.5.2 Line too long"): sent on the
    # line, this would be a CONNECTION_FAILED; sent after the 334, the token is judged.
    long_token = "x" * 2400
    failures = validate(oauth_mail_server, OAUTH_USER, long_token)
    assert [(f.stage, f.error_code) for f in failures] == [
        ("smtp", ErrorCode.AUTH_FAILED),
        ("imap", ErrorCode.AUTH_FAILED),
    ]
    assert "Line too long" not in str(failures)
