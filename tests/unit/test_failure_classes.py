"""What a refusal after login, or a refusal for the connection's security, is called: never
AUTH_FAILED for a correct password, always with the server's reply."""

from __future__ import annotations

import aiosmtplib
import pytest

from sender_accounts.mail.failures import classify, refused_for_cleartext
from sender_accounts.mail.outcome import ErrorCode


@pytest.mark.parametrize(
    ("exc", "code", "reply"),
    [
        (
            aiosmtplib.SMTPRecipientsRefused(
                [aiosmtplib.SMTPRecipientRefused(
                    553, "5.7.1 <a@b.test>: Sender address rejected: not owned", "a@b.test"
                )]
            ),
            ErrorCode.SENDER_REJECTED,
            "553 5.7.1",
        ),
        (
            aiosmtplib.SMTPRecipientsRefused(
                [aiosmtplib.SMTPRecipientRefused(550, "5.1.1 No such user", "x@y.test")]
            ),
            ErrorCode.RECIPIENT_REJECTED,
            "550 5.1.1",
        ),
        (aiosmtplib.SMTPSenderRefused(550, "5.7.1 Not your address", "a@b.test"),
         ErrorCode.SENDER_REJECTED, "550 5.7.1"),
        (aiosmtplib.SMTPDataError(554, "5.7.1 Message rejected as spam"),
         ErrorCode.MESSAGE_REJECTED, "554 5.7.1"),
        (aiosmtplib.SMTPDataError(451, "4.3.0 Try again later"),
         ErrorCode.CONNECTION_FAILED, "451 4.3.0"),
        (aiosmtplib.SMTPAuthenticationError(530, "5.7.0 Must issue a STARTTLS command first"),
         ErrorCode.SSL_ERROR, "530 5.7.0"),
        (aiosmtplib.SMTPAuthenticationError(523, "5.7.10 Plaintext authentication disabled."),
         ErrorCode.SSL_ERROR, "523 5.7.10"),
        (aiosmtplib.SMTPAuthenticationError(535, "5.7.8 Authentication credentials invalid"),
         ErrorCode.AUTH_FAILED, "535 5.7.8"),
    ],
)  # fmt: skip
def test_refusals_are_named_by_what_was_refused(
    exc: Exception, code: ErrorCode, reply: str
) -> None:
    failure = classify(exc)
    assert failure.code is code
    assert failure.server_reply is not None
    assert failure.server_reply.startswith(reply)
    assert (failure.hint is not None) is (code in {ErrorCode.SENDER_REJECTED, ErrorCode.SSL_ERROR})


@pytest.mark.parametrize(
    ("line", "about_security"),
    [
        ("a NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure connections",
         True),
        ("a NO STARTTLS required", True),
        ("a NO [AUTHENTICATIONFAILED] Authentication failed.", False),
        ("a NO LOGIN User name or passwd rejected", False),
    ],
)  # fmt: skip
def test_an_imap_refusal_for_cleartext_is_recognised(line: str, about_security: bool) -> None:
    assert refused_for_cleartext(None, line) is about_security


@pytest.mark.parametrize(
    ("host", "mechanism", "code", "hinted"),
    [
        ("outlook.office365.com", "password", ErrorCode.AUTH_FAILED, True),
        ("SMTP.Office365.com.", "password", ErrorCode.AUTH_FAILED, True),
        ("smtp-mail.outlook.com", "password", ErrorCode.AUTH_FAILED, True),
        ("outlook.office365.com", "xoauth2", ErrorCode.AUTH_FAILED, False),
        ("outlook.office365.com", "password", ErrorCode.TIMEOUT, False),
        ("notoffice365.com", "password", ErrorCode.AUTH_FAILED, False),
        ("imap.gmail.com", "password", ErrorCode.AUTH_FAILED, False),
    ],
)
def test_a_refused_microsoft_password_is_told_of_the_basic_auth_retirement(
    host: str, mechanism: str, code: ErrorCode, hinted: bool
) -> None:
    from sender_accounts.mail.endpoints import AuthMechanism, MailServerLogin, Security
    from sender_accounts.mail.failures import ProbeFailure
    from sender_accounts.mail.validation import BASIC_AUTH_RETIRED, provider_hint

    login = MailServerLogin(host, 993, Security.SSL, "a@contoso.test", "pw",
                            mechanism=AuthMechanism(mechanism))  # fmt: skip
    failure = ProbeFailure(code, "Authentication failed", "NO AUTHENTICATE failed.")
    assert (provider_hint("imap", failure, login) == BASIC_AUTH_RETIRED) is hinted
