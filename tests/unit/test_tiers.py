"""The unit tier stands alone: neither the root conftest nor a unit test loads the AWS emulation
or the local runtime, so the tier runs in seconds on a machine without mail servers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("moto", "local_stack", "tests.support.stack")


def test_the_root_conftest_loads_no_emulation_or_runtime() -> None:
    probe = (
        "import sys; import tests.conftest\n"
        f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "LOADED []" in done.stdout, done.stdout[-500:]


def test_no_unit_test_imports_the_emulation_or_the_runtime() -> None:
    found = []
    for path in sorted((ROOT / "tests" / "unit").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [f"{path.name}: {n}" for n in names if n.startswith(HEAVY)]
    assert found == []
