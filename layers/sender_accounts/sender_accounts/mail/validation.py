"""Validate a mailbox: SMTP and IMAP probed side by side, failures classified and scrubbed."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .endpoints import MailServerLogin
from .failures import ErrorCode, ProbeFailure, classify
from .imap_probe import probe_imap
from .outbound import OutboundPolicy
from .smtp_probe import probe_smtp

REDACTED = "********"

Probe = Callable[[MailServerLogin, OutboundPolicy, float], Awaitable[None]]


@dataclass(frozen=True)
class StageFailure:
    """One failed stage as the contract's error object shows it."""

    stage: str
    error_code: ErrorCode
    detail: str
    server_reply: str | None = None
    hint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "detail": self.detail,
            "error_code": self.error_code.value,
            "stage": self.stage,
        }
        if self.server_reply is not None:
            body["server_reply"] = self.server_reply
        if self.hint is not None:
            body["hint"] = self.hint
        return body


def secret_spellings(secrets: Iterable[str]) -> list[str]:
    """Every form in which a secret may come back in a server's reply: as is and base64."""
    spellings: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        spellings.add(secret)
        spellings.add(base64.b64encode(secret.encode()).decode())
    return sorted(spellings, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str]) -> str:
    for spelling in secret_spellings(secrets):
        text = text.replace(spelling, REDACTED)
    return text


def provider_hint(stage: str, failure: ProbeFailure) -> str | None:
    reply = failure.server_reply or ""
    if "5.7.139" in reply or "SmtpClientAuthentication is disabled" in reply:
        return (
            "SMTP AUTH is disabled for this Microsoft 365 tenant or mailbox; an administrator "
            "must enable Authenticated SMTP."
        )
    if failure.code is ErrorCode.AUTH_FAILED and (
        "gsmtp" in reply or "Application-specific password" in reply or "support.google" in reply
    ):
        return "Google needs an app password: Google Account > Security > App passwords."
    return None


async def run_stage(
    stage: str,
    probe: Probe,
    login: MailServerLogin,
    policy: OutboundPolicy,
    step_timeout: float,
    deadline: float,
    secrets: Sequence[str],
) -> StageFailure | None:
    try:
        await asyncio.wait_for(probe(login, policy, step_timeout), deadline)
        return None
    except Exception as exc:  # every failure is classified; none escapes unscrubbed
        failure = classify(exc)
    label = stage.upper()
    reply = redact(failure.server_reply, secrets) if failure.server_reply else None
    return StageFailure(
        stage=stage,
        error_code=failure.code,
        detail=redact(f"{label} connection failed: {failure.reason}", secrets),
        server_reply=reply,
        hint=provider_hint(stage, failure),
    )


async def validate_mailbox(
    smtp: MailServerLogin,
    imap: MailServerLogin,
    policy: OutboundPolicy,
    step_timeout: float,
    deadline: float,
) -> list[StageFailure]:
    """Both stages concurrently; the failures, SMTP first, or an empty list when both log in."""
    secrets = [smtp.password, imap.password]
    results = await asyncio.gather(
        run_stage("smtp", probe_smtp, smtp, policy, step_timeout, deadline, secrets),
        run_stage("imap", probe_imap, imap, policy, step_timeout, deadline, secrets),
    )
    return [failure for failure in results if failure is not None]


def failure_body(failures: Sequence[StageFailure]) -> dict[str, Any]:
    """The contract's 400 body: the first failed stage on top, every failed stage listed."""
    body = failures[0].as_dict()
    body["errors"] = [failure.as_dict() for failure in failures]
    return body
