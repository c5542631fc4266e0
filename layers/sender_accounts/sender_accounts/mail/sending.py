"""Sending through a mailbox's own SMTP server: the same pinned, verified, authenticated
session the validation opens, then one message."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from .endpoints import MailServerLogin
from .outbound import OutboundPolicy
from .smtp_probe import open_smtp_session


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
    message["From"] = formataddr((sender_name, sender_address))
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender_address.rsplit("@", 1)[1])
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(body)
    if signature_html:
        paragraphs = "".join(f"<p>{_escape(line)}</p>" for line in body.splitlines() if line)
        message.add_alternative(
            f"<html><body>{paragraphs}<br>{signature_html}</body></html>", subtype="html"
        )
    return message


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
        client.close()
