"""Cold-start proxy: how long a fresh interpreter takes to import each function's handler."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

from local_stack.template import PROJECT_ROOT, StackTemplate, load_template

_PROBE = """
import sys, time
sys.path.insert(0, {layer!r}); sys.path.insert(0, {root!r})
start = time.perf_counter()
{body}
print(time.perf_counter() - start)
"""


def _time_in_fresh_interpreter(body: str, env: dict[str, str], runs: int) -> float:
    code = _PROBE.format(
        layer=str(PROJECT_ROOT / "layers" / "sender_accounts"), root=str(PROJECT_ROOT), body=body
    )
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        samples.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def measure_import_times(runs: int = 5) -> dict[str, float]:
    """Median seconds to import each function's module, and a bare `import boto3`."""
    template = StackTemplate(load_template())
    env = {
        **os.environ,
        "TABLE_NAME": "bench",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    results = {"bare import boto3": _time_in_fresh_interpreter("import boto3", env, runs)}
    for logical_id in template.functions():
        props = template.function_properties(logical_id)
        module_file = PROJECT_ROOT / props["CodeUri"] / (props["Handler"].split(".")[0] + ".py")
        body = (
            "import importlib.util\n"
            f"spec = importlib.util.spec_from_file_location('handler', {str(module_file)!r})\n"
            "spec.loader.exec_module(importlib.util.module_from_spec(spec))"
        )
        results[logical_id] = _time_in_fresh_interpreter(body, env, runs)
    return results
