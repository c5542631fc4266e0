"""The client TLS context: the platform's trust store, hostname checks always on."""

from __future__ import annotations

import os
import ssl
from functools import lru_cache


@lru_cache(maxsize=4)
def _context_for(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def client_tls_context() -> ssl.SSLContext:
    """A verifying context; built once per trust store, since loading CAs costs milliseconds."""
    return _context_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
