"""The env-vars file `make serve` writes for `sam local invoke`: every function, started in a
fresh process with exactly that environment (Docker cannot run here), answers its sample event
against the running stack, as its own role."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from local_stack.runtime import LocalRuntime
from local_stack.sam_env import sam_env_vars, write_sam_env
from local_stack.samples import seed_sample_workspace
from local_stack.template import PROJECT_ROOT, StackTemplate, load_template
from tests.integration.test_sample_events import (
    QUEUE_FAILURES,
    SAMPLE_STATUS,
    SCHEDULED,
    sample_path,
)
from tests.support.lambda_sandbox import LOAD_HANDLER

TEMPLATE = StackTemplate(load_template())
# What Lambda does around a handler: load it from its code folder and call it with a context;
# then whether boto3 was imported (no function needs it: its clients are botocore's).
RUN_HANDLER = LOAD_HANDLER + (
    "result = module.lambda_handler(event, Context())\n"
    "print(json.dumps([result, 'boto3' in sys.modules], default=str))"
)


def _event_file(logical_id: str, directory: Any) -> Any:
    """The function's sample event; the domain the domain sample registers made unique, so
    the sample events' own test can still register it."""
    event = json.loads(sample_path(logical_id).read_text())
    if logical_id == "CreateDomainFunction":
        event["body"] = json.dumps({"domain": f"sam-env-{os.urandom(4).hex()}.example.com"})
    path = directory / f"{logical_id}.json"
    path.write_text(json.dumps(event))
    return path


def _run(logical_id: str, environment: dict[str, str], event: Any) -> tuple[Any, bool]:
    props = TEMPLATE.function_properties(logical_id)
    handler = PROJECT_ROOT / props["CodeUri"] / "app.py"
    layer = PROJECT_ROOT / "layers" / "sender_accounts"
    # Exactly the file's variables; PATH to start Python, PYTHONPATH where Lambda puts layers.
    env = {**environment, "PATH": os.environ["PATH"], "PYTHONPATH": str(layer)}
    done = subprocess.run(
        [sys.executable, "-c", RUN_HANDLER, str(handler), str(event), logical_id],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{logical_id}: {done.stderr[-2000:]}"
    result, boto3_imported = json.loads(done.stdout.strip().splitlines()[-1])
    return result, boto3_imported


def test_every_function_runs_with_exactly_the_env_file(
    runtime: LocalRuntime, tmp_path: Any
) -> None:
    from sender_accounts.access.api_keys import issue_key
    from sender_accounts.composition import access_store

    path = write_sam_env(sam_env_vars(runtime.stack, runtime.function_keys), tmp_path / "env.json")
    variables = json.loads(path.read_text())
    assert set(variables) == set(TEMPLATE.functions())
    authorizer = TEMPLATE.authorizer_function()
    sample = json.loads(sample_path(str(authorizer)).read_text())
    # The same workspace the sample events' own test issues the sample key to
    issue_key(access_store.get(), "samples", api_key=sample["headers"]["X-API-Key"])
    # What an earlier run of the samples stored or changed is gone, as when `make serve` starts
    seed_sample_workspace()
    names = sorted(TEMPLATE.functions())
    events = {name: _event_file(name, tmp_path) for name in names}
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = pool.map(lambda n: _run(n, variables[n], events[n]), names)
        answers = dict(zip(names, runs, strict=True))
    results = {name: result for name, (result, _) in answers.items()}
    # Every cold request is spared boto3's import (s3transfer, multiprocessing: ~18 ms)
    assert [name for name, (_, boto3_imported) in answers.items() if boto3_imported] == []
    for name, result in results.items():
        if name == authorizer:
            assert result["policyDocument"]["Statement"][0]["Effect"] == "Allow"
        elif name in SCHEDULED:
            assert set(result) == SCHEDULED[name]
        elif name in QUEUE_FAILURES:
            assert "batchItemFailures" in result
        else:
            assert result["statusCode"] == SAMPLE_STATUS[name], (name, result["body"])
    # No value the functions need is left to the process that starts them
    assert all(v["AWS_ENDPOINT_URL"] == runtime.stack.endpoint_url for v in variables.values())


@pytest.mark.parametrize("name", ["AWS_SESSION_TOKEN", "TABLE_NAME", "HEALTH_QUEUE_URL"])
def test_each_function_is_given(runtime: LocalRuntime, name: str) -> None:
    variables = sam_env_vars(runtime.stack, runtime.function_keys)
    assert all(v.get(name) for v in variables.values())


# Modules a check of a connected (password) mailbox has no use for: the create and update
# request models, the OAuth app store, the domain service; and boto3 (the clients are botocore's).
UNUSED_BY_A_CHECK = (
    "boto3",
    "sender_accounts.accounts.models",
    "sender_accounts.oauth.apps",
    "sender_accounts.oauth.models",
    "sender_accounts.domains.service",
)


def test_a_check_of_a_connected_mailbox_loads_only_what_it_uses(
    runtime: LocalRuntime, tmp_path: Any
) -> None:
    from sender_accounts.access.api_keys import issue_key
    from sender_accounts.composition import access_store

    name = "CheckSenderAccountFunction"
    sample = json.loads(sample_path(str(TEMPLATE.authorizer_function())).read_text())
    issue_key(access_store.get(), "samples", api_key=sample["headers"]["X-API-Key"])
    seed_sample_workspace()  # the sample inbox unchecked: this check logs in and asks DNS
    props = TEMPLATE.function_properties(name)
    layer = PROJECT_ROOT / "layers" / "sender_accounts"
    env = {
        **sam_env_vars(runtime.stack, runtime.function_keys)[name],
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(layer),
    }
    answered = (
        LOAD_HANDLER
        + "result = module.lambda_handler(event, Context())\n"
        + f"print(json.dumps([result, sorted(set({UNUSED_BY_A_CHECK!r}) & set(sys.modules))]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", answered, str(PROJECT_ROOT / props["CodeUri"] / "app.py"),
         str(sample_path(name)), name],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    check = json.loads(result["body"])
    assert result["statusCode"] == 200, result["body"]
    assert check["cached"] is False
    assert loaded == []
