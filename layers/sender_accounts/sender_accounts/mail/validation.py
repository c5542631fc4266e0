"""Validate a mailbox: SMTP and IMAP probed side by side, failures classified and scrubbed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from sender_accounts.mail.deadlines import within
from sender_accounts.mail.endpoints import AuthMechanism, Destination, MailServerLogin
from sender_accounts.mail.failures import ProbeFailure, classify
from sender_accounts.mail.imap_probe import probe_imap
from sender_accounts.mail.outbound import OutboundPolicy, resolve_allowed
from sender_accounts.mail.outcome import ErrorCode, StageFailure
from sender_accounts.mail.redaction import redact
from sender_accounts.mail.smtp_probe import probe_smtp

Probe = Callable[[MailServerLogin, OutboundPolicy, float], Awaitable[None]]


# Exchange Online's mail hosts (outlook.office365.com, smtp.office365.com, *.outlook.com).
_MICROSOFT_HOSTS = (".office365.com", ".outlook.com")
BASIC_AUTH_RETIRED = (
    "Microsoft has disabled basic authentication for IMAP in Exchange Online (app passwords "
    "included), and SMTP AUTH with basic credentials becomes disabled by default at the end "
    "of December 2026: a password works only where the tenant still allows both. Connect this "
    "mailbox with OAuth2 instead (POST /oauth/authorizations, or POST /sender-accounts/oauth)."
)


def provider_hint(
    stage: str, failure: ProbeFailure, login: MailServerLogin | None = None
) -> str | None:
    reply = failure.server_reply or ""
    if "5.7.139" in reply or "SmtpClientAuthentication is disabled" in reply:
        return (
            "SMTP AUTH is disabled for this Microsoft 365 tenant or mailbox; an administrator "
            "must enable Authenticated SMTP, or connect the mailbox with OAuth2 "
            "(POST /oauth/authorizations)."
        )
    host = f".{login.host.lower().rstrip('.')}" if login else ""
    if (
        failure.code is ErrorCode.AUTH_FAILED
        and login is not None
        and login.mechanism is AuthMechanism.PASSWORD
        and host.endswith(_MICROSOFT_HOSTS)
    ):
        return BASIC_AUTH_RETIRED
    if failure.code is ErrorCode.AUTH_FAILED and (
        "gsmtp" in reply or "Application-specific password" in reply or "support.google" in reply
    ):
        return "Google needs an app password: Google Account > Security > App passwords."
    return None


def printable(reply: str | None) -> str | None:
    """A server's words as one may show them: control characters out, 500 characters at most."""
    if reply is None:
        return None
    cleaned = "".join(c if c.isprintable() or c == "\n" else " " for c in reply).strip()
    return cleaned[:500] or None


async def run_stage(
    stage: str,
    probe: Probe,
    login: MailServerLogin,
    policy: OutboundPolicy,
    step_timeout: float,
    deadline: float,
    credentials: Sequence[tuple[str, str]],
) -> StageFailure | None:
    try:
        await within(deadline, probe(login, policy, step_timeout))
        return None
    except Exception as exc:  # every failure is classified; none escapes unscrubbed
        failure = classify(exc)
    label = stage.upper()
    reply = printable(failure.server_reply)
    reply = redact(reply, credentials) if reply else None
    return StageFailure(
        stage=stage,
        error_code=failure.code,
        detail=redact(f"{label} connection failed: {failure.reason}", credentials),
        server_reply=reply,
        hint=failure.hint or provider_hint(stage, failure, login),
    )


async def validate_mailbox(
    smtp: MailServerLogin,
    imap: MailServerLogin,
    policy: OutboundPolicy,
    step_timeout: float,
    deadline: float,
) -> list[StageFailure]:
    """Both stages concurrently; the failures, SMTP first, or an empty list when both log in."""
    secrets = [(smtp.username, smtp.password), (imap.username, imap.password)]
    results = await asyncio.gather(
        run_stage("smtp", probe_smtp, smtp, policy, step_timeout, deadline, secrets),
        run_stage("imap", probe_imap, imap, policy, step_timeout, deadline, secrets),
    )
    return [failure for failure in results if failure is not None]


async def screen_destinations(
    targets: Sequence[tuple[str, Destination]], policy: OutboundPolicy, timeout: float
) -> list[StageFailure]:
    """The outbound rule alone for each (stage, destination), before anything is sent."""
    failures: list[StageFailure] = []
    for stage, destination in targets:
        try:
            await resolve_allowed(destination.host, destination.port, policy, timeout)
        except ProbeFailure as failure:
            detail = f"{stage.upper()} connection failed: {failure.reason}"
            failures.append(StageFailure(stage, failure.code, detail))
    return failures
