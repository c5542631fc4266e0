"""A throw-away CA and a server certificate for localhost, made with openssl: for the local
stack's demo mail server and the tests' servers."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServerPki:
    ca_cert: Path
    server_cert: Path
    server_key: Path


def _openssl(*args: str, cwd: Path) -> None:
    program = shutil.which("openssl") or "/usr/bin/openssl"
    subprocess.run([program, *args], cwd=cwd, check=True, capture_output=True)  # noqa: S603 - fixed arguments


def make_pki(directory: Path) -> ServerPki:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "san.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1,IP:127.0.0.2\n")
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Sender Accounts Test CA",
        cwd=directory,
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
        "-out", "server.csr", "-subj", "/CN=localhost",
        cwd=directory,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.cnf",
        cwd=directory,
    )  # fmt: skip
    return ServerPki(directory / "ca.pem", directory / "server.pem", directory / "server.key")
