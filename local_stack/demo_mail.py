"""The local stack's own mail server: a real Dovecot (IMAP and submission) with a demo user,
on free loopback ports, so the product's headline, a mailbox validated for real, can be seen
in a minute. What it relays lands in a sink the local mail viewer shows (mail_viewer.py).

Its throw-away CA is trusted by the local runtime beside whatever SSL_CERT_FILE named (one
combined bundle), so other servers a developer trusts stay trusted.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import shutil
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .mail_delivery import Delivery
from .mail_server import DOVECOT, PORT_NAMES, DovecotOptions, MailServer, start_mail_server
from .pki import make_pki

DEMO_USER = "demo@demo.test"
# Warm-up's demo pool: four more mailboxes on two domains that deliver to each other, the mail
# of the last filed into Junk by a Sieve rule, so placements and rescues show at once.
WARMUP_USERS = ("ana@demo.test", "ben@demo.test", "cho@other-demo.test", "dee@other-demo.test")
JUNKED_USER = WARMUP_USERS[-1]
INSTALL_HINT = (
    "No demo mailbox: Dovecot is not installed (Debian: apt-get install dovecot-imapd "
    "dovecot-submissiond dovecot-lmtpd dovecot-sieve, or `make mail-server` as root). "
    "The stack runs without it."
)


@dataclass
class DemoMail:
    server: MailServer
    password: str

    def stop(self) -> None:
        self.server.stop()

    def kept(self) -> dict[str, Any]:
        """What a restart needs to serve the same mailbox (persistence.py keeps it)."""
        ports = {name: getattr(self.server, name) for name in PORT_NAMES}
        return {"password": self.password, "ports": ports}

    def account(self, address: str = DEMO_USER) -> dict[str, object]:
        """The create request for a demo mailbox: STARTTLS submission, implicit-TLS IMAP."""
        return {
            "email_address": address,
            "display_name": "Demo Sender" if address == DEMO_USER else address.split("@")[0],
            "inbox_type": "CUSTOM_SMTP",
            "daily_limit": 20,
            "smtp_host": "localhost",
            "smtp_port": self.server.submission_starttls_port,
            "smtp_username": address,
            "smtp_password": self.password,
            "smtp_use_tls": True,
            "imap_host": "localhost",
            "imap_port": self.server.imaps_port,
            "imap_username": address,
            "imap_password": self.password,
            "imap_use_ssl": True,
        }

    def curl(self, base_url: str, api_key: str) -> str:
        """A ready-to-paste command that creates the demo inbox; run again, it replays its 201."""
        body = json.dumps(self.account(), indent=None)
        return "\n".join(
            [
                f"curl -s -X POST {base_url}/api/public/v1/sender-accounts/smtp \\",
                f"  -H 'X-API-Key: {api_key}' -H 'Content-Type: application/json' \\",
                "  -H 'Idempotency-Key: demo-inbox' \\",
                f"  -d {shlex.quote(body)}",
            ]
        )

    def warmup_curl(self, base_url: str, api_key: str) -> str:
        """Creates the warm-up demo pool: four mailboxes with warm-up on, in the workspace."""
        lines = []
        for address in WARMUP_USERS:
            warmup = {"enabled": True, "pool": "workspace", "reply_rate_percentage": 50}
            body = json.dumps({**self.account(address), "warmup": warmup})
            lines.append(
                f"curl -s -X POST {base_url}/api/public/v1/sender-accounts/smtp "
                f"-H 'X-API-Key: {api_key}' -H 'Content-Type: application/json' "
                f"-d {shlex.quote(body)}; echo"
            )
        return "\n".join(lines)


def delivery_installed() -> bool:
    return Path("/usr/lib/dovecot/lmtp").exists() and shutil.which("sievec") is not None


def _trust(ca_cert: Path, directory: Path) -> None:
    """SSL_CERT_FILE becomes one bundle: what it named before (or the system's store), and the
    demo server's CA."""
    before = os.environ.get("SSL_CERT_FILE") or ssl.get_default_verify_paths().openssl_cafile
    parts = [Path(before).read_text()] if before and Path(before).exists() else []
    bundle = directory / "trusted-ca-bundle.pem"
    bundle.write_text("\n".join([*parts, ca_cert.read_text()]))
    os.environ["SSL_CERT_FILE"] = str(bundle)


def _still_free(ports: dict[str, int]) -> bool:
    for port in ports.values():
        with socket.socket() as sock:
            # As Dovecot binds: a port whose last connections linger in TIME_WAIT is free.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def start_demo_mail(directory: Path, kept: dict[str, Any] | None = None) -> DemoMail | None:
    """The demo server, or None (with a line saying how to get one) when Dovecot is missing.
    `kept` (DemoMail.kept() of an earlier run): the same password and ports, so an inbox
    created with them before a restart still validates."""
    if not os.path.exists(DOVECOT):
        print(INSTALL_HINT, flush=True)
        return None
    pki = make_pki(directory / "demo-pki")
    kept = kept or {}
    password = kept.get("password") or secrets.token_urlsafe(12)
    ports = {name: int(port) for name, port in kept.get("ports", {}).items()}
    if ports and not _still_free(ports):
        print("The demo mailbox's earlier ports are taken: it listens on new ones.", flush=True)
        ports = {}
    users = dict.fromkeys((DEMO_USER, *WARMUP_USERS), password)
    delivery = Delivery(junk_from=(JUNKED_USER,), refuse_others=False)
    options = DovecotOptions(delivery=delivery if delivery_installed() else None)
    if options.delivery is None:
        print(
            "Dovecot's LMTP or Sieve is missing: the warm-up demo mailboxes get no mail "
            "(install dovecot-lmtpd and dovecot-sieve).",
            flush=True,
        )
    server = start_mail_server(pki, users, ports, options)
    _trust(pki.ca_cert, directory)
    return DemoMail(server, password)
