"""A second, independent IMAP server: GNU Mailutils' imap4d, with its own config and mail
folders on loopback ports: `starttls_port` requires STARTTLS before any login (tls-mode
required), `implicit_tls_port` is implicit TLS. Users live in a virtual-domain passwd file."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from local_stack.mail_server import wait_for_port
from local_stack.pki import ServerPki
from local_stack.ports import free_port

IMAP4D = "/usr/sbin/imap4d"
NOBODY = 65534  # the mailboxes' owner: imap4d takes the user's uid after login


def imap4d_installed() -> bool:
    return Path(IMAP4D).exists()


@dataclass
class Imap4dServer:
    starttls_port: int
    implicit_tls_port: int
    root: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.root, ignore_errors=True)


def _sha512_crypt(password: str) -> str:
    # openssl, not the crypt module (deprecated, gone in Python 3.13)
    done = subprocess.run(
        ["openssl", "passwd", "-6", "-stdin"],
        input=password.encode(),
        capture_output=True,
        check=True,
    )
    return done.stdout.decode().strip()


def start_imap4d(pki: ServerPki, users: dict[str, str]) -> Imap4dServer:
    root = Path(tempfile.mkdtemp(prefix="sender-accounts-imap4d-"))
    root.chmod(0o755)
    (root / "passwd").mkdir()
    by_domain: dict[str, list[str]] = {}
    for address, password in users.items():
        user, domain = address.split("@", 1)
        home = root / "home" / address
        home.mkdir(parents=True)
        shutil.chown(home, NOBODY, NOBODY)
        hashed = _sha512_crypt(password)
        by_domain.setdefault(domain, []).append(
            f"{user}:{hashed}:{NOBODY}:{NOBODY}::{home}:/bin/false\n"
        )
    for domain, lines in by_domain.items():
        (root / "passwd" / domain).write_text("".join(lines))
    starttls_port, implicit_port = free_port(), free_port()
    tls = f"""tls {{
    ssl-certificate-file {pki.server_cert};
    ssl-key-file {pki.server_key};
  }};"""
    (root / "imap4d.conf").write_text(
        f"""mode daemon;
foreground yes;
pidfile {root}/imap4d.pid;
logging {{ syslog no; }};
auth {{
  authorization virtdomain;
  authentication generic;
}};
virtdomain {{
  passwd-dir {root}/passwd;
}};
tls-file-checks {{
  key-file none;
  cert-file none;
  ca-file none;
}};
mailbox {{
  mail-spool "mbox:{root}/home/${{user}}/INBOX";
}};
server 127.0.0.1:{starttls_port} {{
  tls-mode required;
  {tls}
}};
server 127.0.0.1:{implicit_port} {{
  tls-mode connection;
  {tls}
}};
"""
    )
    process = subprocess.Popen(
        [IMAP4D, f"--config-file={root / 'imap4d.conf'}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    for port in (starttls_port, implicit_port):
        wait_for_port(port, deadline)
    return Imap4dServer(starttls_port, implicit_port, root, process)
