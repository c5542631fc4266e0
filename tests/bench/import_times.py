"""Cold-start proxy: how long a fresh interpreter takes to import each function's handler, and
how much memory it then holds, with the environment template.yaml gives that function."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from dataclasses import dataclass

from local_stack.template import PROJECT_ROOT, StackTemplate, load_template

_PROBE = """
import sys, time
sys.path.insert(0, {layer!r}); sys.path.insert(0, {root!r})
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
# VmHWM: this interpreter's own peak (ru_maxrss would carry over the parent's at fork)
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
print(elapsed, peak)
"""


FLOOR = "libraries alone (floor of an API function)"
FLOOR_IMPORTS = (
    "import boto3, pydantic\n"
    "from aws_lambda_powertools.event_handler import APIGatewayRestResolver\n"
    "from aws_lambda_powertools import Logger, Metrics"
)


@dataclass(frozen=True)
class ImportCost:
    seconds: float  # the fastest run
    ratio: float  # to a bare `import boto3` run just before it: the median over the rounds
    peak_rss_mb: float


def _probe(body: str) -> str:
    return _PROBE.format(
        layer=str(PROJECT_ROOT / "layers" / "sender_accounts"), root=str(PROJECT_ROOT), body=body
    )


def _run_once(code: str, env: dict[str, str]) -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    elapsed, kilobytes = done.stdout.strip().splitlines()[-1].split()
    return float(elapsed), int(kilobytes) / 1024


def template_environment(template: StackTemplate, logical_id: str) -> dict[str, str]:
    """The function's variables from the template: parameters at their defaults, resources as
    placeholder names (their values only matter to calls, and none is made at import)."""
    return template.environment_at_defaults(logical_id, lambda name: f"bench-{name.lower()}")


def set_by_lambda(logical_id: str) -> dict[str, str]:
    """What Lambda itself sets in every execution environment (the layer reads the name)."""
    return {"AWS_LAMBDA_FUNCTION_NAME": logical_id, "AWS_REGION": "us-east-1"}


def measure_import_times(runs: int = 9) -> dict[str, ImportCost]:
    """Each function's module imported in a fresh interpreter with its template environment,
    against a bare `import boto3` run just before it: the median of the rounds' ratios, and the
    fastest time (noise only ever adds time)."""
    template = StackTemplate(load_template())
    base = {"PATH": os.environ.get("PATH", ""), "AWS_DEFAULT_REGION": "us-east-1"}
    targets: dict[str, tuple[str, dict[str, str]]] = {
        "bare import boto3": (_probe("import boto3"), base),
        # What any API function needs before a line of its own: the libraries' share.
        FLOOR: (_probe(FLOOR_IMPORTS), base),
    }
    for logical_id in template.functions():
        props = template.function_properties(logical_id)
        module_file = PROJECT_ROOT / props["CodeUri"] / (props["Handler"].split(".")[0] + ".py")
        body = (
            "import importlib.util\n"
            f"spec = importlib.util.spec_from_file_location('handler', {str(module_file)!r})\n"
            "spec.loader.exec_module(importlib.util.module_from_spec(spec))"
        )
        env = {**base, **template_environment(template, logical_id), **set_by_lambda(logical_id)}
        targets[logical_id] = (_probe(body), env)
    boto3_code, _ = targets["bare import boto3"]
    seconds: dict[str, list[float]] = {name: [] for name in targets}
    ratios: dict[str, list[float]] = {name: [] for name in targets}
    memory: dict[str, float] = dict.fromkeys(targets, 0.0)
    for _ in range(runs):
        for name, (code, env) in targets.items():
            # Each target right after its own bare-boto3 run: a slow spell of a shared machine
            # slows both, and their ratio stays.
            baseline, _ = _run_once(boto3_code, base)
            elapsed, megabytes = _run_once(code, env)
            seconds[name].append(elapsed)
            ratios[name].append(elapsed / baseline)
            memory[name] = max(memory[name], megabytes)
    return {
        name: ImportCost(min(seconds[name]), statistics.median(ratios[name]), memory[name])
        for name in targets
    }


def main() -> int:
    """`python -m tests.bench.import_times`: the import table alone."""
    results = measure_import_times()
    worst = 0.0
    for name, cost in results.items():
        ratio = cost.ratio
        worst = max(worst, ratio if name not in {"bare import boto3", FLOOR} else 0.0)
        print(
            f"| {name:<36} | {cost.seconds * 1000:7.0f} ms "
            f"| {ratio:5.2f}x | {cost.peak_rss_mb:5.0f} MB |"
        )
    print(f"worst ratio: {worst:.2f}x boto3 (goal <= 2.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
