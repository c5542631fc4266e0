"""The run-wide secret scan does catch a leak, in a log record or a response."""

from __future__ import annotations

import base64
import logging

from tests.support.secret_scan import ScanningHandler, SecretScan


def test_scan_finds_plain_and_base64_secrets_in_logs_and_responses() -> None:
    scan = SecretScan()
    scan.register("hunter2-password")
    scan.register("pw")  # too short to scan for: it would match innocent text
    logger = logging.getLogger("secret-scan-self-test")
    logger.addHandler(ScanningHandler(scan))
    logger.warning("login with hunter2-password failed")
    logger.warning("nothing to see here, pw")
    scan.check_response(base64.b64encode(b"hunter2-password").decode())
    assert len(scan.findings) == 2
    assert (scan.log_records, scan.responses) == (2, 1)
