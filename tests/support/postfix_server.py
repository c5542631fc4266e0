"""A real Postfix submission server with Cyrus SASL (sasldb), configured as hosting providers
run it, under its own config and queue folders on loopback ports:

- `starttls_port`: AUTH only after STARTTLS (`smtpd_tls_auth_only`), 530 to AUTH before it;
- `implicit_tls_port`: implicit TLS on a non-standard port number (wrapper mode);
- every login may send only as the addresses it owns (`reject_sender_login_mismatch`);
- REFUSED_RECIPIENT is refused (554 5.1.1);
- what it accepts is relayed to an aiosmtpd sink (`relay`).

Postfix refuses to explain itself unless stderr is a terminal, so it runs under `script`.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from aiosmtpd.controller import Controller

from local_stack.mail_server import RelaySink, wait_for_port
from local_stack.pki import ServerPki
from local_stack.ports import free_port

POSTFIX = "/usr/sbin/postfix"
SASLPASSWD = "/usr/sbin/saslpasswd2"
REFUSED_RECIPIENT = "nobody-here@example.test"  # refused at RCPT, with a 554


def postfix_installed() -> bool:
    return all(Path(p).exists() for p in (POSTFIX, SASLPASSWD)) and bool(shutil.which("script"))


@dataclass
class PostfixServer:
    starttls_port: int
    implicit_tls_port: int
    root: Path
    relay: RelaySink
    controller: Controller

    @property
    def log(self) -> str:
        path = self.root / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        _postfix(self.root, "stop")
        self.controller.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _postfix(root: Path, command: str) -> None:
    subprocess.run(
        ["script", "-qec", f"{POSTFIX} -c {root / 'conf'} {command}", "/dev/null"],
        check=False,
        capture_output=True,
        timeout=60,
    )


def _master_cf(starttls_port: int, implicit_port: int) -> str:
    """Debian's services without chroot (the queue folder has no copy of /etc), and the two
    submission listeners instead of port 25."""
    lines = []
    for line in Path("/etc/postfix/master.cf").read_text().splitlines():
        fields = line.split()
        if line.startswith(("#", " ", "\t")) or len(fields) < 8:
            lines.append(line)
            continue
        if fields[:2] == ["smtp", "inet"]:
            continue
        fields[4] = "n"
        lines.append(" ".join(fields))
    lines += [
        f"127.0.0.1:{starttls_port} inet n - n - - smtpd",
        "  -o smtpd_tls_security_level=encrypt",
        "  -o smtpd_tls_auth_only=yes",
        "  -o smtpd_sasl_auth_enable=yes",
        f"127.0.0.1:{implicit_port} inet n - n - - smtpd",
        "  -o smtpd_tls_wrappermode=yes",
        "  -o smtpd_sasl_auth_enable=yes",
    ]
    return "\n".join(lines) + "\n"


def start_postfix(pki: ServerPki, users: dict[str, str]) -> PostfixServer:
    """Postfix in the foreground with `users` (address: password) in its sasldb, each owning
    its own address only."""
    root = Path(tempfile.mkdtemp(prefix="sender-accounts-postfix-"))
    root.chmod(0o755)
    conf = root / "conf"
    (conf / "sasl").mkdir(parents=True)
    (root / "data").mkdir()
    shutil.chown(root / "data", "postfix")
    relay = RelaySink()
    relay_port = free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=relay_port)
    controller.start()
    server = PostfixServer(free_port(), free_port(), root, relay, controller)
    (conf / "master.cf").write_text(_master_cf(server.starttls_port, server.implicit_tls_port))
    (conf / "main.cf").write_text(
        f"""compatibility_level = 3.6
queue_directory = {root}/queue
data_directory = {root}/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mail.acme.test
mydestination =
relayhost = [127.0.0.1]:{relay_port}
maillog_file_prefixes = {root}
maillog_file = {root}/maillog
smtpd_tls_cert_file = {pki.server_cert}
smtpd_tls_key_file = {pki.server_key}
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
smtpd_sender_login_maps = texthash:{root}/senders
smtpd_sender_restrictions = reject_sender_login_mismatch
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions =
  check_recipient_access texthash:{root}/recipients, permit_sasl_authenticated, reject
"""
    )
    # Debian's Postfix reads Cyrus SASL's settings from <config_directory>/sasl/smtpd.conf.
    (conf / "sasl" / "smtpd.conf").write_text(
        f"pwcheck_method: auxprop\nauxprop_plugin: sasldb\nsasldb_path: {root}/sasldb2\n"
        "mech_list: PLAIN LOGIN\n"
    )
    for address, password in users.items():
        user, realm = address.split("@", 1)
        subprocess.run(
            [SASLPASSWD, "-f", str(root / "sasldb2"), "-p", "-c", "-u", realm, user],
            input=password.encode(),
            check=True,
            capture_output=True,
        )
    shutil.chown(root / "sasldb2", "postfix")
    (root / "senders").write_text("".join(f"{a} {a}\n" for a in users))
    (root / "recipients").write_text(f"{REFUSED_RECIPIENT} REJECT 5.1.1 No such mailbox here\n")
    (root / "queue").mkdir()
    _postfix(root, "check")  # creates the queue's folders with their owners
    _postfix(root, "start")
    deadline = time.monotonic() + 30
    for port in (server.starttls_port, server.implicit_tls_port):
        wait_for_port(port, deadline)
    return server
