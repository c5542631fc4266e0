"""`make bench`: figures printed as a table (seconds unless stated)."""

from __future__ import annotations

import os
import sys

from local_stack.template import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "layers" / "sender_accounts"))

from tests.bench.import_times import measure_import_times
from tests.bench.single_validation import measure_single_validation
from tests.support.certificates import make_pki
from tests.support.dovecot import start_mail_server

USER, PASSWORD = "bench@acme.test", "bench-password-1"


def _row(name: str, value: str) -> None:
    print(f"| {name:<40} | {value:>14} |")


def main() -> int:
    import tempfile
    from pathlib import Path

    pki = make_pki(Path(tempfile.mkdtemp(prefix="bench-pki-")))
    os.environ["SSL_CERT_FILE"] = str(pki.ca_cert)
    server = start_mail_server(pki, {USER: PASSWORD})
    try:
        single = measure_single_validation(server, USER, PASSWORD)
    finally:
        server.stop()
    imports = measure_import_times()
    print(f"| {'figure':<40} | {'value':>14} |")
    print(f"|{'-' * 42}|{'-' * 16}|")
    _row("one validation, median (ms)", f"{single['median'] * 1000:.1f}")
    _row(
        "one validation, min / max (ms)", f"{single['min'] * 1000:.1f} / {single['max'] * 1000:.1f}"
    )
    baseline = imports["bare import boto3"]
    for name, seconds in imports.items():
        ratio = "" if name == "bare import boto3" else f" ({seconds / baseline:.1f}x)"
        _row(f"import {name} (ms)", f"{seconds * 1000:.0f}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
