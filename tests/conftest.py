"""What every tier shares: the layer on the path, Powertools' names as Lambda sets them, and the
secret scan over every log record and response of the run. The unit tier needs nothing more; the
AWS emulation, the local runtime and the mail servers are fixtures of tests/support/stack.py,
loaded by the tiers that use them, and import nothing until a test asks for them."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The layer's Logger and Metrics read these when first imported, which in this process can be
# at collection (unit tests import use cases), before the local runtime applies the template's
# environment: give them the template's values from the start, as Lambda does.
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "sender-accounts")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "SenderAccounts")
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(PROJECT_ROOT / "layers" / "sender_accounts"))

from tests.support.secret_scan import SCAN, ScanningHandler  # noqa: E402

IN_CI = os.environ.get("CI") == "true"
# The stack's fixtures (runtime, mail_server, workspace, ...): plain definitions, imported lazily.
pytest_plugins = ["tests.support.stack"]


@pytest.fixture(scope="session", autouse=True)
def secret_scan() -> Iterator[None]:
    """Every log record of the run (INFO and up, the product's own logger at every level) is
    scanned for the passwords and keys the tests handed over; see pytest_sessionfinish."""
    handler = ScanningHandler(SCAN)
    root, product = logging.getLogger(), logging.getLogger("sender-accounts")
    previous = root.level
    root.setLevel(min(previous, logging.INFO))
    root.addHandler(handler)
    product.addHandler(handler)
    yield
    product.removeHandler(handler)
    root.removeHandler(handler)
    root.setLevel(previous)


# The scans of a parallel run's workers (pytest-xdist), added up by the controller.
_WORKER_SCANS: list[dict[str, Any]] = []


def _scan_summary() -> dict[str, Any]:
    spellings = sorted(hashlib.sha256(s.encode()).hexdigest() for s in SCAN.secrets)
    return {
        "responses": SCAN.responses,
        "log_records": SCAN.log_records,
        "spellings": spellings,
        "findings": SCAN.findings,
    }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """A worker of a parallel run ended: its scan counts toward the run's verdict."""
    summary = getattr(node, "workeroutput", {}).get("secret_scan")
    if summary:
        _WORKER_SCANS.append(json.loads(summary))


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The secret scan's verdict; and in CI a skipped test is a test that did not run. A
    worker of a parallel run hands its scan to the controller, which gives the verdict."""
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:
        worker_output["secret_scan"] = json.dumps(_scan_summary())
        return
    scans = [_scan_summary(), *_WORKER_SCANS]
    responses = sum(scan["responses"] for scan in scans)
    log_records = sum(scan["log_records"] for scan in scans)
    spellings = len({spelling for scan in scans for spelling in scan["spellings"]})
    findings = [finding for scan in scans for finding in scan["findings"]]
    if spellings:
        print(
            f"\nsecret scan: {responses} responses and {log_records} log records "
            f"checked for {spellings} secret spellings: {len(findings)} found"
        )
    if findings:
        print("\n".join(findings[:20]))
        session.exitstatus = 1
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if IN_CI and skipped and exitstatus == 0:
        print(f"\n{skipped} test(s) skipped under CI=true: failing the run")
        session.exitstatus = 1
