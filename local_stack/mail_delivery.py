"""Delivery between the mail server's own mailboxes, with a spam folder, so warm-up can be seen
for real on one machine: Dovecot's submission relays every message to `DeliveringRelay` (an
SMTP server), which hands mail for the server's own users to Dovecot's LMTP and refuses (550 at
RCPT, recorded) every other recipient. A global Sieve script files the mail of chosen senders
into the spam folder, as a provider's filter would."""

from __future__ import annotations

import shutil
import smtplib
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.handlers import Message


class RelaySink(Message):
    """Keeps every message Dovecot relays: parsed for tests, and with its arrival time, its
    envelope recipients and its raw source for the local mail viewer."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[object] = []
        self._received: list[tuple[str, list[str], str]] = []

    def handle_message(self, message: object) -> None:
        self.messages.append(message)
        get = getattr(message, "get", lambda name, default: default)
        recipients = [r.strip() for r in str(get("X-RcptTo", "")).split(",") if r.strip()]
        arrived = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._received.append((arrived, recipients, str(message)))

    def received(self) -> list[tuple[str, list[str], str]]:
        return list(self._received)


@dataclass(frozen=True)
class Delivery:
    """`junk_from`: senders whose mail is filed into `junk_folder`; `special_use`: whether
    LIST marks that folder `\\Junk` (Exchange's `Junk Email` is found by name only)."""

    junk_from: tuple[str, ...] = ()
    junk_folder: str = "Junk"
    special_use: bool = True
    # Refuse (550, recorded) recipients that are not the server's users; else they land in the
    # sink only, as the demo's test emails to any address do.
    refuse_others: bool = True


class DeliveringRelay(RelaySink):
    def __init__(self, users: dict[str, str], refuse_others: bool) -> None:
        super().__init__()
        self.users = users
        self.refuse_others = refuse_others
        self.lmtp_port = 0
        self.refused: list[str] = []
        self.refused_recipients: set[str] = set()  # users a test makes bounce at RCPT
        self.bounced_after_accepting: set[str] = set()  # users whose mail comes back as a DSN
        self.delivered: list[tuple[str, list[str]]] = []

    def _local(self, address: str) -> bool:
        return address.lower() in {user.lower() for user in self.users}

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        refused = address.lower() in self.refused_recipients
        if refused or (self.refuse_others and not self._local(address)):
            self.refused.append(address)
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def _deliver_dsn(self, sender: str, recipient: str, original: bytes) -> None:
        if self._local(sender):
            with smtplib.LMTP("127.0.0.1", self.lmtp_port) as lmtp:
                lmtp.sendmail("", [sender], dsn(sender, recipient, original))

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        content = envelope.original_content or envelope.content
        for address in [r for r in envelope.rcpt_tos if r.lower() in self.bounced_after_accepting]:
            self._deliver_dsn(envelope.mail_from, address, content)
        local = [
            r
            for r in envelope.rcpt_tos
            if self._local(r) and r.lower() not in self.bounced_after_accepting
        ]
        if local:
            with smtplib.LMTP("127.0.0.1", self.lmtp_port) as lmtp:
                lmtp.sendmail(envelope.mail_from, local, content)
            self.delivered.append((envelope.mail_from, local))
        return await super().handle_DATA(server, session, envelope)


def dsn(sender: str, recipient: str, original: bytes) -> bytes:
    """A delivery status notification (RFC 3464) as an MTA sends one after accepting mail it
    then cannot deliver: the failure for `recipient`, and the original's headers."""
    from email.message import EmailMessage
    from email.parser import BytesHeaderParser

    headers = BytesHeaderParser().parsebytes(original)
    report = EmailMessage()
    report["From"] = "MAILER-DAEMON@localhost"
    report["To"] = sender
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.set_content(f"Your message could not be delivered to {recipient}.")
    status = EmailMessage()
    status.set_content(f"Final-Recipient: rfc822; {recipient}\nAction: failed\nStatus: 5.1.1\n")
    report.add_attachment(
        status.get_content(), subtype="plain", filename="delivery-status.txt", cte="7bit"
    )
    report.add_attachment(
        str(headers), subtype="plain", filename="original-headers.txt", cte="7bit"
    )
    return report.as_bytes()


def delivery_config(root: Path, delivery: Delivery, lmtp_port: int) -> str:
    """Dovecot's lines for LMTP, Sieve and the spam folder; writes and compiles the script."""
    rules = "".join(
        f'if address :is "from" "{sender}" {{ fileinto "{delivery.junk_folder}"; stop; }}\n'
        for sender in delivery.junk_from
    )
    script = root / "junk.sieve"
    script.write_text(f'require ["fileinto"];\n{rules}')
    sievec = shutil.which("sievec") or "/usr/bin/sievec"
    subprocess.run([sievec, str(script)], check=True)  # noqa: S603 - the script written here
    for path in (script, root / "junk.svbin"):
        path.chmod(0o644)
    special = "\n    special_use = \\Junk" if delivery.special_use else ""
    return f"""
namespace inbox {{
  inbox = yes
  separator = /
  mailbox "{delivery.junk_folder}" {{{special}
    auto = subscribe
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp_port}
  }}
}}
protocol lmtp {{
  mail_plugins = $mail_plugins sieve
  postmaster_address = postmaster@localhost
}}
plugin {{
  sieve_before = {script}
}}
"""
