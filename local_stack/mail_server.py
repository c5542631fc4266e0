"""A real Dovecot (IMAP and submission) with an aiosmtpd relay sink, on loopback ports: the
local stack's demo mail server. Tests start the same server with other `DovecotOptions`
(tests/support/mail_servers.py: logins only after TLS, OAuth2 logins, password changes)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller

from .mail_delivery import DeliveringRelay, Delivery, RelaySink, delivery_config
from .pki import ServerPki
from .ports import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


@dataclass
class MailServer:
    imaps_port: int
    imap_starttls_port: int
    submission_starttls_port: int
    submissions_port: int
    plain_imap_port: int
    users: dict[str, str]
    relay: RelaySink
    root: Path
    process: subprocess.Popen[bytes] | None = None
    controller: Controller | None = None
    extra: dict[str, int] = field(default_factory=dict)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.controller is not None:
            self.controller.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass(frozen=True)
class DovecotOptions:
    """What differs between servers: the address it listens on, its security lines, its
    authentication mechanisms, passdb blocks before the password file's (whose own mechanisms
    `password_mechanisms` limits) and files written into its folder; `{root}` in the passdbs
    and the files is that folder."""

    listen: str = "127.0.0.1"
    security: str = "disable_plaintext_auth = no\nlogin_trusted_networks = 127.0.0.0/8"
    mechanisms: str = "plain login"
    passdbs: str = ""
    password_mechanisms: str = ""
    files: Mapping[str, str] = field(default_factory=dict)
    delivery: Delivery | None = None  # delivery between its mailboxes (mail_delivery.py)


def _config(
    root: Path, pki: ServerPki, server: MailServer, relay_port: int, options: DovecotOptions
) -> str:
    protocols, userdb, delivered = "imap submission", "static", ""
    userdb_args = f"uid=dovecot gid=dovecot home={root}/mail/%u"
    if options.delivery is not None:
        # LMTP looks recipients up: the password file is the user database too.
        protocols, userdb = "imap submission lmtp", "passwd-file"
        userdb_args = f"{root}/users\n  default_fields = {userdb_args}"
        delivered = delivery_config(root, options.delivery, server.extra["lmtp_port"])
    password_mechanisms = (
        options.password_mechanisms and f"\n  mechanisms = {options.password_mechanisms}"
    )
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = {protocols}
listen = {options.listen}
{options.security}
ssl = yes
ssl_cert = <{pki.server_cert}
ssl_key = <{pki.server_key}
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
first_valid_uid = 100
auth_mechanisms = {options.mechanisms}
auth_failure_delay = 0
# Any character in a user name (spaces, parentheses, braces), as some providers allow.
auth_username_chars =
mail_location = maildir:{root}/mail/%u
submission_relay_host = 127.0.0.1
submission_relay_port = {relay_port}
submission_relay_trusted = yes
hostname = localhost
default_process_limit = 500
default_client_limit = 4000
{options.passdbs.format(root=root)}passdb {{
  driver = passwd-file{password_mechanisms}
  args = scheme=PLAIN {root}/users
}}
userdb {{
  driver = {userdb}
  args = {userdb_args}
}}{delivered}
protocol imap {{
  mail_max_userip_connections = 1000
}}
protocol submission {{
  mail_max_userip_connections = 1000
}}
# Failed logins from 127.0.0.1 would otherwise delay every later login from it (the auth
# penalty: 0.5, 4.5, 8.5, 15.5 s), success included; login_trusted_networks does not lift it.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    port = {server.imap_starttls_port}
  }}
  inet_listener imaps {{
    port = {server.imaps_port}
    ssl = yes
  }}
  process_min_avail = 2
}}
service submission-login {{
  inet_listener submission {{
    port = {server.submission_starttls_port}
  }}
  inet_listener submissions {{
    port = {server.submissions_port}
    ssl = yes
  }}
  process_min_avail = 2
}}
"""


def wait_for_port(
    port: int,
    deadline: float,
    address: str = "127.0.0.1",
    process: subprocess.Popen[bytes] | None = None,
) -> None:
    """Until `port` accepts; RuntimeError at the deadline, or at once when `process` exited."""
    while time.monotonic() < deadline and (process is None or process.poll() is None):
        try:
            with socket.create_connection((address, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"Dovecot did not listen on {port}")


PORT_NAMES = ("imaps_port", "imap_starttls_port", "submission_starttls_port", "submissions_port")


def start_mail_server(
    pki: ServerPki,
    users: dict[str, str],
    ports: dict[str, int] | None = None,
    options: DovecotOptions | None = None,
) -> MailServer:
    """Start Dovecot in the foreground under a fresh folder; stop it with `MailServer.stop()`.
    `ports` (by PORT_NAMES) are used where given, free ones chosen for the rest."""
    options = options or DovecotOptions()
    # Dovecot's unprivileged processes must read this folder, so it cannot live in pytest's
    # private (0700) temporary tree.
    root = Path(tempfile.mkdtemp(prefix="sender-accounts-dovecot-"))
    root.chmod(0o755)
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    shutil.chown(root / "mail", "dovecot", "dovecot")
    for name, text in options.files.items():
        (root / name).write_text(text.format(root=root))
    (root / "users").write_text("".join(f"{u}:{{PLAIN}}{p}::::\n" for u, p in users.items()))
    relay: RelaySink = (
        RelaySink()
        if options.delivery is None
        else DeliveringRelay(users, options.delivery.refuse_others)
    )
    relay_port = free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=relay_port)
    controller.start()
    # A port found free can be taken by another process before Dovecot binds it; Dovecot then
    # exits at once, and the start is tried again on other free ports.
    for attempt in range(3):
        chosen = {name: (ports or {}).get(name) or free_port() for name in PORT_NAMES}
        server = MailServer(
            imaps_port=chosen["imaps_port"],
            imap_starttls_port=chosen["imap_starttls_port"],
            submission_starttls_port=chosen["submission_starttls_port"],
            submissions_port=chosen["submissions_port"],
            plain_imap_port=0,
            users=users,
            relay=relay,
            root=root,
            controller=controller,
        )
        if isinstance(relay, DeliveringRelay):
            relay.lmtp_port = server.extra["lmtp_port"] = free_port()
        config = root / "dovecot.conf"
        config.write_text(_config(root, pki, server, relay_port, options))
        server.process = subprocess.Popen(  # noqa: S603 - Dovecot with the configuration written here
            [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 20
        try:
            for name in PORT_NAMES:
                wait_for_port(getattr(server, name), deadline, options.listen, server.process)
        except RuntimeError:
            server.process.kill()
            server.process.wait()
            if attempt == 2 or (ports and all(ports.get(n) for n in PORT_NAMES)):
                controller.stop()
                raise
            continue
        return server
    raise AssertionError("unreachable")
