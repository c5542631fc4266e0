"""Contract fuzzing: every operation of the generated OpenAPI document, over real HTTP against
the local runtime. No answer is a 5xx, and documented answers match their schema."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from local_stack.openapi import DOCUMENT_PATH
from local_stack.runtime import LocalRuntime
from tests.support.stack import ApiClient

EXAMPLES_PER_OPERATION = 6
schema = schemathesis.openapi.from_path(str(DOCUMENT_PATH))
CASES_RUN: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def report_cases() -> Iterator[None]:
    yield
    statuses: dict[str, int] = {}
    for status in CASES_RUN:
        statuses[status] = statuses.get(status, 0) + 1
    print(f"\nfuzz: {len(CASES_RUN)} cases, answers by status {dict(sorted(statuses.items()))}")


@pytest.fixture(scope="module")
def loopback_only_names() -> Iterator[None]:
    """Fuzzed hosts never leave the machine: a name that is not an address literal or
    localhost does not resolve (as for an unknown name) instead of asking the DNS."""
    real = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name != "localhost":
            try:
                ipaddress.ip_address(name.split("%")[0])
            except ValueError as exc:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from exc
        return real(host, *args, **kwargs)

    socket.getaddrinfo = resolve
    yield
    socket.getaddrinfo = real


@pytest.fixture(scope="module")
def api_url(runtime: LocalRuntime, loopback_only_names: None) -> Iterator[str]:
    from local_stack.serve import make_handler

    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(runtime.gateway))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def api_key(workspace: Callable[..., ApiClient], settings_env: Callable[[str, str], None]) -> str:
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
def test_operation_never_fails_and_conforms(case: Any, api_url: str, api_key: str) -> None:
    response = case.call(base_url=api_url, headers={"X-API-Key": api_key}, timeout=30)
    CASES_RUN.append(str(response.status_code))
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
