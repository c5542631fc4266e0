"""A function fails its init, naming the variable, when its template entry lacks one its use
cases need; with its template environment it starts."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from local_stack.template import PROJECT_ROOT, StackTemplate, load_template
from tests.support.lambda_environment import set_by_lambda, template_environment

TEMPLATE = StackTemplate(load_template())
# A request no function answers with success (no resource, no credentials): the collector's
# state after it is what the test reads.
FIRST_REQUEST = """
class Context:
    function_name = "f"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:f"
    aws_request_id = "first"
try:
    module.lambda_handler({}, Context())
except Exception:
    pass
print(gc.isenabled(), gc.get_freeze_count())
"""


def _import(
    logical_id: str, env: dict[str, str], then: str = ""
) -> subprocess.CompletedProcess[str]:
    props = TEMPLATE.function_properties(logical_id)
    module = PROJECT_ROOT / props["CodeUri"] / (props["Handler"].split(".")[0] + ".py")
    code = (
        f"import sys; sys.path[:0] = [{str(PROJECT_ROOT / 'layers' / 'sender_accounts')!r}, "
        f"{str(PROJECT_ROOT)!r}]\n"
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('handler', {str(module)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        f"{then}\n"
    )
    base = {"PATH": os.environ.get("PATH", ""), "AWS_DEFAULT_REGION": "us-east-1"}
    return subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("logical_id", "removed"),
    [
        ("GetSenderAccountFunction", "TABLE_NAME"),
        ("CreateSmtpAccountFunction", "KMS_KEY_ID"),
        ("BulkCreateSmtpAccountsFunction", "BULK_QUEUE_URL"),
        ("BulkValidatorFunction", "JOBS_TABLE_NAME"),
        ("BulkDeleteWorkerFunction", "BULK_DELETE_QUEUE_URL"),
        ("AuthorizerFunction", "TABLE_NAME"),
        ("ListDomainsFunction", "REQUEST_CONTROL_TABLE_NAME"),
    ],
)
def test_a_missing_variable_fails_the_init_naming_it(logical_id: str, removed: str) -> None:
    env = template_environment(TEMPLATE, logical_id)
    started = _import(logical_id, env)
    assert started.returncode == 0, started.stderr
    del env[removed]
    failed = _import(logical_id, env)
    assert failed.returncode != 0
    assert "MissingConfiguration" in failed.stderr
    assert removed in failed.stderr.splitlines()[-1]


@pytest.mark.parametrize("logical_id", ["GetSenderAccountFunction", "AuthorizerFunction"])
def test_collection_pauses_during_a_lambda_init_only(logical_id: str) -> None:
    # Inside Lambda: paused while the layer loads and its first request runs (answered or
    # failed), then frozen and resumed
    env = {**template_environment(TEMPLATE, logical_id), **set_by_lambda(logical_id)}
    during = _import(logical_id, env, f"import gc; print(gc.isenabled())\n{FIRST_REQUEST}")
    assert during.returncode == 0, during.stderr
    at_init, enabled, frozen = during.stdout.split()[-3:]
    assert at_init == "False"
    assert enabled == "True"
    assert int(frozen) > 10_000
    probe = "import gc, sender_accounts; print(gc.isenabled())"
    paused = subprocess.run(
        [sys.executable, "-c", probe],
        env={
            **os.environ,
            **set_by_lambda(logical_id),
            "PYTHONPATH": str(PROJECT_ROOT / "layers" / "sender_accounts"),
        },
        capture_output=True,
        text=True,
    )
    assert paused.stdout.strip() == "False"
    # Elsewhere (a long-lived local process): the ordinary collector throughout
    local = _import(
        logical_id,
        template_environment(TEMPLATE, logical_id),
        "import gc; print(gc.isenabled(), gc.get_freeze_count())",
    )
    # (a bare interpreter may keep some objects frozen by itself: 3.12 does)
    bare = subprocess.run(
        [sys.executable, "-c", "import gc; print(gc.get_freeze_count())"],
        capture_output=True,
        text=True,
    )
    assert local.stdout.split() == ["True", bare.stdout.strip()]
