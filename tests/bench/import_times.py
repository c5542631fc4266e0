"""Cold-start proxy: how long a fresh interpreter takes to import each function's handler, and
how much memory it then holds, with the environment template.yaml gives that function."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from local_stack.template import PROJECT_ROOT, StackTemplate, load_template

_PROBE = """
import resource, sys, time
sys.path.insert(0, {layer!r}); sys.path.insert(0, {root!r})
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@dataclass(frozen=True)
class ImportCost:
    seconds: float
    peak_rss_mb: float


def _measure(body: str, env: dict[str, str], runs: int) -> ImportCost:
    code = _PROBE.format(
        layer=str(PROJECT_ROOT / "layers" / "sender_accounts"), root=str(PROJECT_ROOT), body=body
    )
    seconds, rss = [], []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        elapsed, kilobytes = done.stdout.strip().splitlines()[-1].split()
        seconds.append(float(elapsed))
        rss.append(int(kilobytes) / 1024)
    return ImportCost(statistics.median(seconds), max(rss))


def template_environment(template: StackTemplate, logical_id: str) -> dict[str, str]:
    """The function's variables from the template: references become placeholder names, as
    their values only matter to the calls that are not made at import."""
    variables: dict[str, Any] = template.function_properties(logical_id)["Environment"]["Variables"]
    return {
        name: value if isinstance(value, str) else f"bench-{name.lower()}"
        for name, value in variables.items()
    }


def measure_import_times(runs: int = 7) -> dict[str, ImportCost]:
    """Median seconds (and peak memory) to import each function's module in a fresh
    interpreter, beside a bare `import boto3`."""
    template = StackTemplate(load_template())
    base = {"PATH": os.environ.get("PATH", ""), "AWS_DEFAULT_REGION": "us-east-1"}
    results = {"bare import boto3": _measure("import boto3", base, runs)}
    for logical_id in template.functions():
        props = template.function_properties(logical_id)
        module_file = PROJECT_ROOT / props["CodeUri"] / (props["Handler"].split(".")[0] + ".py")
        body = (
            "import importlib.util\n"
            f"spec = importlib.util.spec_from_file_location('handler', {str(module_file)!r})\n"
            "spec.loader.exec_module(importlib.util.module_from_spec(spec))"
        )
        env = {**base, **template_environment(template, logical_id)}
        results[logical_id] = _measure(body, env, runs)
    return results


def main() -> int:
    """`python -m tests.bench.import_times`: the import table alone."""
    results = measure_import_times()
    baseline = results["bare import boto3"].seconds
    worst = 0.0
    for name, cost in results.items():
        ratio = cost.seconds / baseline
        worst = max(worst, ratio if name != "bare import boto3" else 0.0)
        print(
            f"| {name:<36} | {cost.seconds * 1000:7.0f} ms "
            f"| {ratio:5.2f}x | {cost.peak_rss_mb:5.0f} MB |"
        )
    print(f"worst ratio: {worst:.2f}x boto3 (goal <= 2.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
