"""A throw-away CA and a server certificate for localhost, made with trustme: for the local
stack's demo mail server and the tests' servers. Clients trust the CA through SSL_CERT_FILE."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass(frozen=True)
class ServerPki:
    ca_cert: Path
    server_cert: Path
    server_key: Path


def make_pki(directory: Path) -> ServerPki:
    directory.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name="Sender Accounts Test CA", key_type=trustme.KeyType.RSA)
    issued = ca.issue_cert("localhost", "127.0.0.1", "127.0.0.2", key_type=trustme.KeyType.RSA)
    pki = ServerPki(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    ca.cert_pem.write_to_path(str(pki.ca_cert))
    issued.private_key_pem.write_to_path(str(pki.server_key))
    pki.server_cert.write_bytes(b"".join(blob.bytes() for blob in issued.cert_chain_pems))
    pki.server_key.chmod(0o600)
    return pki
