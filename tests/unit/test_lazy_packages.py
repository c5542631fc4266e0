"""The packages the layer loads on first use export exactly what they export when loaded whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sender_accounts.lazy_packages import LAZY

LAYER = Path(__file__).resolve().parents[2] / "layers" / "sender_accounts"
ENV = {**os.environ, "PYTHONPATH": str(LAYER)}

# In fresh interpreters: this test process has long since loaded both packages whole.
WHOLE = """
import importlib, json, sys
package = importlib.import_module(sys.argv[1])
print(json.dumps({n: f"{getattr(package, n).__module__}.{getattr(package, n).__qualname__}"
                  for n in package.__all__}))
"""
LAZY_FIRST = """
import json, sys
import sender_accounts
package = sys.modules[sys.argv[1]]
loaded_before = sorted(m for m in sys.modules if m.startswith(sys.argv[1] + "."))
names = {n: f"{getattr(package, n).__module__}.{getattr(package, n).__qualname__}"
         for n in package.__all__}
print(json.dumps({"names": names, "loaded_before": loaded_before}))
"""


def _run(code: str, package: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code, package], capture_output=True, text=True, check=True, env=ENV
    )
    return dict(json.loads(done.stdout))


@pytest.mark.parametrize("package", LAZY)
def test_a_lazy_package_exports_what_the_whole_package_does(package: str) -> None:
    whole = _run(WHOLE, package)
    lazy = _run(LAZY_FIRST, package)
    assert lazy["names"] == whole
    # and importing the layer loaded none of the package's modules
    assert lazy["loaded_before"] == []


def test_a_submodule_and_an_unknown_name_behave_as_in_a_loaded_package() -> None:
    code = """
import sys
import sender_accounts
package = sys.modules["aws_lambda_powertools.event_handler"]
print(package.api_gateway.__name__)
try:
    package.no_such_name
except AttributeError as error:
    print(error)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=ENV
    )
    assert done.stdout.splitlines() == [
        "aws_lambda_powertools.event_handler.api_gateway",
        "module 'aws_lambda_powertools.event_handler' has no attribute 'no_such_name'",
    ]
