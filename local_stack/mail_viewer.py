"""The local mail viewer: every message the local stack sent, as Mailpit or MailHog show them.

Two sources: what the demo mail server relayed (test emails from SMTP inboxes) and what the
emulated SES accepted (native inboxes). `GET /_local/mail` is an HTML page listing them (from,
to, subject, time) with each message's raw source; `/_local/mail.json` the same as JSON. Local
only: not in the template, not in the OpenAPI document.
"""

from __future__ import annotations

import email
import email.policy
import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .mail_server import RelaySink


@dataclass(frozen=True)
class SeenMessage:
    source: str  # "smtp" (relayed by the demo server) or "ses"
    received_at: str
    mail_from: str
    to: list[str]
    subject: str
    raw: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "received_at": self.received_at,
            "from": self.mail_from,
            "to": self.to,
            "subject": self.subject,
            "raw": self.raw,
        }

    @classmethod
    def from_dict(cls, kept: dict[str, Any]) -> SeenMessage:
        return cls(
            kept["source"], kept["received_at"], kept["from"], kept["to"], kept["subject"],
            kept["raw"],
        )  # fmt: skip


def _parsed(raw: str, source: str, received_at: str, envelope_to: list[str]) -> SeenMessage:
    message = email.message_from_string(raw, policy=email.policy.default)
    return SeenMessage(
        source,
        received_at,
        str(message.get("From", "")),
        envelope_to or [str(message.get("To", ""))],
        str(message.get("Subject", "")),
        raw,
    )


@dataclass(frozen=True)
class MailSources:
    """Where the viewer finds sent mail: the demo server's relay sink, what runs before a restart
    sent (kept by persistence.py), and what the emulated SES accepted (its raw source and
    recipients, asked of the emulation's process)."""

    sink: RelaySink | None = None
    earlier: Sequence[SeenMessage] = ()
    ses_sent: Callable[[], list[tuple[str, list[str]]]] = list


def messages(sources: MailSources) -> list[SeenMessage]:
    relayed = [
        _parsed(raw, "smtp", received_at, recipients)
        for received_at, recipients, raw in (sources.sink.received() if sources.sink else [])
    ]
    accepted = [_parsed(raw, "ses", "", to) for raw, to in sources.ses_sent()]
    return [*sources.earlier, *relayed, *accepted]


def as_json(sources: MailSources) -> bytes:
    listed = [m.as_dict() for m in messages(sources)]
    return json.dumps({"messages": listed}, indent=1).encode()


def as_html(sources: MailSources) -> bytes:
    rows = []
    for n, m in enumerate(messages(sources)):
        cells = [m.received_at or "—", m.mail_from, ", ".join(m.to), m.subject, m.source]
        row = "".join(f"<td>{html.escape(c)}</td>" for c in cells)
        rows.append(
            f"<tr>{row}</tr><tr><td colspan=5><details><summary>source #{n + 1}</summary>"
            f"<pre>{html.escape(m.raw)}</pre></details></td></tr>"
        )
    body = "".join(rows) or "<tr><td colspan=5>No message sent yet.</td></tr>"
    return (
        "<!doctype html><html><head><meta charset=utf-8><title>Local mail</title>"
        "<style>body{font-family:sans-serif}td,th{padding:4px 8px;text-align:left}"
        "pre{white-space:pre-wrap}</style></head><body><h1>Local mail</h1>"
        "<p>Every message the local stack sent. <a href='/_local/mail.json'>JSON</a></p>"
        "<table><tr><th>time</th><th>from</th><th>to</th><th>subject</th><th>via</th></tr>"
        f"{body}</table></body></html>"
    ).encode()
