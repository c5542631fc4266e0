"""SmartLead's own OpenAPI document (its public docs repository, the last commit that had
it: tests/contract/smartlead_openapi.yaml, unchanged) run against the local runtime over real
HTTP, as a SmartLead client would call us: base URL `<api>/api`, the key in `api_key`. Every
email-account operation, campaign ones included (not served: a documented 404): no 5xx, and
every documented answer matches SmartLead's schema."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.contract.test_fuzz_openapi import api_url, loopback_only_names  # noqa: F401
from tests.support.stack import ApiClient

SMARTLEAD_DOCUMENT = Path(__file__).with_name("smartlead_openapi.yaml")
EXAMPLES_PER_OPERATION = 8
schema = schemathesis.openapi.from_path(str(SMARTLEAD_DOCUMENT)).include(
    path_regex="email-accounts"
)
STATUSES: list[int] = []


@pytest.fixture(scope="module", autouse=True)
def report_statuses() -> Iterator[None]:
    yield
    counted = {status: STATUSES.count(status) for status in sorted(set(STATUSES))}
    print(f"\nSmartLead contract: {len(STATUSES)} cases, answers by status {counted}")


@pytest.fixture
def smartlead_key(
    workspace: Callable[..., ApiClient], settings_env: Callable[[str, str], None]
) -> str:
    settings_env("RATE_LIMIT_PER_MINUTE", "0")
    settings_env("MAIL_STEP_TIMEOUT_SECONDS", "1")
    return workspace().api_key


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_smartlead_operation_never_fails_and_conforms(
    case: Any,
    api_url: str,  # noqa: F811
    smartlead_key: str,
) -> None:
    case.query = {**(case.query or {}), "api_key": smartlead_key}
    response = case.call(base_url=f"{api_url}/api", timeout=30)
    STATUSES.append(response.status_code)
    assert response.status_code != 401, response.text  # the key in the query is taken
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
