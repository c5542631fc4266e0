"""Sending through a mailbox's own SMTP server: the same pinned, verified, authenticated
session the validation opens, then one message."""

from __future__ import annotations

from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import compat32
from email.utils import formataddr, formatdate, make_msgid

from sender_accounts.mail.endpoints import MailServerLogin
from sender_accounts.mail.outbound import OutboundPolicy
from sender_accounts.mail.smtp_probe import open_smtp_session, part

# The headers a test email has; serialization must produce exactly these, each once.
_HEADERS = frozenset(
    {"from", "to", "subject", "date", "message-id", "reply-to", "mime-version",
     "content-type", "content-transfer-encoding"}
)  # fmt: skip
# A warm-up email's: a reply's threading headers too.
_WARMUP_HEADERS = _HEADERS | {"in-reply-to", "references"}


def header_safe(text: str) -> str:
    """Text as a header may carry it whatever the interpreter's patch level: no control
    character or line separator, and no RFC 2047 encoded word for the parser to decode into
    new header lines (CVE-2024-6923). Input rules already refuse both; this covers what was
    stored before them."""
    flat = "".join(" " if not c.isprintable() else c for c in text)
    return flat.replace("=?", "= ?")


def compose_test_email(
    sender_name: str,
    sender_address: str,
    recipient: str,
    subject: str,
    body: str,
    reply_to: str | None = None,
    signature_html: str | None = None,
) -> EmailMessage:
    """A well-formed message: From with display name, Date, Message-ID, optional Reply-To, and
    the sender's HTML signature in an HTML alternative."""
    message = EmailMessage()
    message["From"] = formataddr((header_safe(sender_name), sender_address))
    message["To"] = recipient
    message["Subject"] = header_safe(subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender_address.rsplit("@", 1)[1])
    if reply_to:
        message["Reply-To"] = header_safe(reply_to)
    message.set_content(body)
    if signature_html:
        paragraphs = "".join(f"<p>{_escape(line)}</p>" for line in body.splitlines() if line)
        message.add_alternative(
            f"<html><body>{paragraphs}<br>{signature_html}</body></html>", subtype="html"
        )
    check_serialized_headers(message)
    return message


def compose_warmup_email(
    sender_name: str,
    sender_address: str,
    recipient: str,
    subject: str,
    body: str,
    message_id: str,
    in_reply_to: str | None = None,
) -> EmailMessage:
    """A plain-text warm-up email with the Message-ID chosen when it was planned; a reply is
    threaded (In-Reply-To, References)."""
    message = EmailMessage()
    message["From"] = formataddr((header_safe(sender_name), sender_address))
    message["To"] = recipient
    message["Subject"] = header_safe(subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = header_safe(message_id)
    if in_reply_to:
        message["In-Reply-To"] = header_safe(in_reply_to)
        message["References"] = header_safe(in_reply_to)
    message.set_content(body)
    check_serialized_headers(message, _WARMUP_HEADERS)
    return message


def check_serialized_headers(message: EmailMessage, allowed: frozenset[str] = _HEADERS) -> None:
    """Refuse to send a message whose serialized form has a header we did not set."""
    parsed = BytesParser(policy=compat32).parsebytes(message.as_bytes(), headersonly=True)
    names = [name.lower() for name in parsed]
    if len(names) != len(set(names)) or not set(names) <= allowed:
        raise ValueError("the message's headers changed when serialized; not sending it")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


async def send_through(
    login: MailServerLogin,
    message: EmailMessage,
    recipients: list[str],
    policy: OutboundPolicy,
    step_timeout: float,
) -> None:
    """Deliver `message` to `recipients` (Bcc included, never in a header) via `login`."""
    client = await open_smtp_session(login, policy, step_timeout)
    try:
        await client.send_message(message, recipients=recipients)
    finally:
        await part(client)
