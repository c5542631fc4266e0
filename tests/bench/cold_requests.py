"""The cold request of every function, as a new Lambda sandbox pays it, beside the floor of any
Python Lambda that reads DynamoDB.

A cold request: a fresh interpreter, with exactly the function's environment as `make serve`
writes it for `sam local invoke` (the running stack's tables, key and queues, signed as the
function's own role) and what Lambda's runtime sets in every sandbox (the function's name),
imports the handler and answers the function's sample event from events/.
The floor: a fresh interpreter imports boto3, makes one DynamoDB client and does one GetItem.
Both are timed inside the process from its first line (the interpreter's own start is the same
for both). Each function runs right after a floor run, so a slow spell of a shared machine slows
both; the ratio is the median of those pairs. The same process then answers the sample again:
the warm request.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from local_stack.template import PROJECT_ROOT, StackTemplate, load_template
from tests.support.lambda_environment import set_by_lambda
from tests.support.lambda_sandbox import LOAD_HANDLER

if TYPE_CHECKING:
    from local_stack.runtime import LocalRuntime

LAYER = PROJECT_ROOT / "layers" / "sender_accounts"

COLD_REQUEST = (
    "import time\nstart = time.perf_counter()\n"
    + LOAD_HANDLER
    + """
module.lambda_handler(event, Context())
cold = time.perf_counter() - start
again = time.perf_counter()
module.lambda_handler(event, Context())
print(json.dumps({"cold": cold, "warm": time.perf_counter() - again}))
"""
)

FLOOR = """
import time
start = time.perf_counter()
import json, os, boto3
dynamodb = boto3.client("dynamodb")
key = {"pk": {"S": "floor"}, "sk": {"S": "floor"}}
dynamodb.get_item(TableName=os.environ["TABLE_NAME"], Key=key)
print(json.dumps({"cold": time.perf_counter() - start}))
"""


@dataclass(frozen=True)
class ColdRequest:
    cold_ms: float  # median
    warm_ms: float  # median of the second request in the same process
    floor_ms: float  # median of the floor runs paired with it
    ratio: float  # median of cold / floor over the pairs


@dataclass(frozen=True)
class ColdRuns:
    worst: list[float]  # each run's worst ratio
    seconds: dict[str, float]  # the last run's cold request per function


def _run(code: str, env: dict[str, str], *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise RuntimeError(f"{args[2] if len(args) > 2 else 'floor'}: {done.stderr[-1500:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure_cold_requests(
    variables: dict[str, dict[str, str]], rounds: int = 5, only: list[str] | None = None
) -> dict[str, ColdRequest]:
    """`variables`: the env-vars file's content (sam_env_vars of the running stack)."""
    from local_stack.samples import seed_sample_workspace
    from tests.integration.test_sample_events import sample_path

    template = StackTemplate(load_template())
    names = only or sorted(template.functions())
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(LAYER)}
    floor_env = {**base, **variables["GetSenderAccountFunction"], **set_by_lambda("Floor")}
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in names}
    for _ in range(rounds):
        # What a sample created, deleted or changed is back as the samples expect it
        seed_sample_workspace()
        for name in names:
            floor = _run(FLOOR, floor_env)["cold"]
            props = template.function_properties(name)
            handler = PROJECT_ROOT / props["CodeUri"] / (props["Handler"].split(".")[0] + ".py")
            # The file's variables, and those Lambda's runtime sets in every sandbox
            env = {**base, **variables[name], **set_by_lambda(name)}
            timing = _run(COLD_REQUEST, env, str(handler), str(sample_path(name)), name)
            runs[name].append((timing["cold"], timing["warm"], floor))
    return {
        name: ColdRequest(
            statistics.median(r[0] for r in pairs) * 1000,
            statistics.median(r[1] for r in pairs) * 1000,
            statistics.median(r[2] for r in pairs) * 1000,
            statistics.median(r[0] / r[2] for r in pairs),
        )
        for name, pairs in runs.items()
    }


def print_cold_table(results: dict[str, ColdRequest]) -> float:
    """The table; the worst ratio."""
    print(
        f"| {'function':<36} | {'cold ms':>8} | {'floor ms':>8} | {'ratio':>6} | {'warm ms':>8} |"
    )
    print(f"|{'-' * 38}|{'-' * 10}|{'-' * 10}|{'-' * 8}|{'-' * 10}|")
    for name, cost in sorted(results.items(), key=lambda item: -item[1].ratio):
        print(
            f"| {name:<36} | {cost.cold_ms:8.0f} | {cost.floor_ms:8.0f} | "
            f"{cost.ratio:5.2f}x | {cost.warm_ms:8.1f} |"
        )
    worst = max(cost.ratio for cost in results.values())
    print(f"worst cold-request ratio: {worst:.2f}x the floor (goal <= 2.0)", flush=True)
    return worst


def cold_requests_over_runs(  # the last use of `runtime`: it is quiesced
    runtime: LocalRuntime, runs: int, rounds: int = 5, only: list[str] | None = None
) -> ColdRuns:
    """The table of each run against the running stack; each run's worst ratio and the last
    run's cold seconds per function."""
    from local_stack.sam_env import sam_env_vars
    from sender_accounts.access.api_keys import issue_key
    from sender_accounts.composition import access_store

    sample = json.loads((PROJECT_ROOT / "events" / "authorizer.json").read_text())
    issue_key(access_store.get(), "samples", api_key=sample["headers"]["X-API-Key"])
    variables = sam_env_vars(runtime.stack, runtime.function_keys)
    # The queues' consumers and the schedules stop here (messages wait on their queues): in
    # this one process they would run beside the emulation, and an event a sample publishes
    # would slow the AWS calls of the function measured, which in AWS run on other machines.
    runtime.quiesce()
    worst: list[float] = []
    for _ in range(runs):
        results = measure_cold_requests(variables, rounds, only)
        worst.append(print_cold_table(results))
    seconds = {name: cost.cold_ms / 1000 for name, cost in results.items()}
    return ColdRuns(worst, seconds)


def main() -> int:
    """`python -m tests.bench.cold_requests [Function ...]`: the table alone (ROUNDS=5)."""
    sys.path.insert(0, str(LAYER))
    from local_stack.runtime import start_local_runtime

    runtime = start_local_runtime()
    try:
        rounds = int(os.environ.get("ROUNDS", "5"))
        cold_requests_over_runs(runtime, 1, rounds, sys.argv[1:] or None)
    finally:
        runtime.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
