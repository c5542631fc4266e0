"""The fixtures of the tiers that run the stack: the local runtime on moto, a real Dovecot and
its throw-away CA, workspaces with keys, settings changed for one test. Registered by the root
conftest; what they need (moto, the local runtime, the mail server) is imported when a test first
asks for one, so the unit tier never loads it."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.secret_scan import SCAN

if TYPE_CHECKING:
    from local_stack.gateway import GatewayResponse
    from local_stack.mail_server import MailServer
    from local_stack.pki import ServerPki
    from local_stack.runtime import LocalRuntime

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
IN_CI = os.environ.get("CI") == "true"
API = "/api/public/v1"
MAILBOX_PASSWORD = "Tr0ub4dor&3-mailbox"
MAILBOX_USER = "outreach@acme.test"
# A user name and password that need quoting on the IMAP wire.
ODD_USER = "odd user (x) {5}@acme.test"
ODD_PASSWORD = 'pa"ss\\w{3}rd (odd)'
MONITORED_USER = "monitored@acme.test"
# The run's secret scan looks for these everywhere (tests/conftest.py).
SCAN.register(MAILBOX_PASSWORD)
SCAN.register(ODD_PASSWORD)


@pytest.fixture(scope="session")
def runtime() -> Iterator[LocalRuntime]:
    # Failed queue messages come back after 1 s instead of the queue's 6 minutes.
    os.environ["LOCAL_QUEUE_VISIBILITY_SECONDS"] = "1"
    from local_stack.runtime import start_local_runtime

    stack = start_local_runtime(environment_overrides={"MAIL_STEP_TIMEOUT_SECONDS": "8"})
    handle = stack.gateway.handle

    def scanned_handle(*args: Any, **kwargs: Any) -> GatewayResponse:
        response = handle(*args, **kwargs)
        SCAN.check_response(f"{response.headers} {response.body.decode('utf-8', 'replace')}")
        return response

    stack.gateway.handle = scanned_handle  # type: ignore[method-assign]
    yield stack
    stack.quiesce()
    if os.environ.get("IAM_USAGE_FILE"):  # what each function's role was used for: iam_audit
        from local_stack.iam_audit import write_usage

        used = stack.emulation.call("used_by_functions")
        write_usage(Path(os.environ["IAM_USAGE_FILE"]), stack.roles, used)
    stack.stop()


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> ServerPki:
    from local_stack.pki import make_pki

    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def mail_server(tmp_path_factory: pytest.TempPathFactory, pki: ServerPki) -> Iterator[MailServer]:
    from local_stack.mail_server import DOVECOT, start_mail_server

    if not os.path.exists(DOVECOT):
        message = "Dovecot is not installed (make test installs it on Debian)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    users = {
        MAILBOX_USER: MAILBOX_PASSWORD,
        "second@acme.test": MAILBOX_PASSWORD,
        ODD_USER: ODD_PASSWORD,
        MONITORED_USER: MAILBOX_PASSWORD,  # its password changes in the health tests
    }
    server = start_mail_server(pki, users)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def trust_test_ca(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Clients trust the throw-away CA through SSL_CERT_FILE, as the docs tell users to."""
    if "mail_server" in request.fixturenames:
        pki: ServerPki = request.getfixturevalue("pki")
        monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_cert))


@dataclass
class ApiClient:
    """Calls the stack through the local API gateway with one workspace's key."""

    runtime: LocalRuntime
    api_key: str
    workspace_id: str

    def call(self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> GatewayResponse:  # fmt: skip
        all_headers = {"X-API-Key": [self.api_key], "Content-Type": ["application/json"]}
        for name, value in (headers or {}).items():
            all_headers[name] = [value]
        raw = (
            None
            if body is None
            else (body if isinstance(body, bytes) else json.dumps(body).encode())
        )
        multi_query = {k: [str(v)] for k, v in (query or {}).items()}
        return self.runtime.gateway.handle(method, f"{API}{path}", multi_query, all_headers, raw)


@pytest.fixture
def workspace(runtime: LocalRuntime) -> Callable[..., ApiClient]:
    """A factory of fresh workspaces, each with its own key."""
    from sender_accounts.access.api_keys import ALL_SCOPES, issue_key
    from sender_accounts.composition import access_store

    counter = iter(range(10**6))

    def make(scopes: tuple[str, ...] = ALL_SCOPES, name: str | None = None) -> ApiClient:
        label = name or f"workspace-{os.urandom(4).hex()}-{next(counter)}"
        workspace_id, key = issue_key(access_store.get(), label, scopes=scopes, prefix="cs_test_")
        SCAN.register(key)
        return ApiClient(runtime, key, workspace_id)

    return make


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], None]]:
    """Change one setting for one test; caches built from the old value are dropped."""

    from local_stack.runtime import reset_process_caches

    def set_env(name: str, value: str) -> None:
        monkeypatch.setenv(name, value)
        reset_process_caches()

    yield set_env
    monkeypatch.undo()
    reset_process_caches()


def smtp_account(server: MailServer, **overrides: Any) -> dict[str, Any]:
    """A create request for the test Dovecot: STARTTLS submission and implicit-TLS IMAP."""
    body: dict[str, Any] = {
        "email_address": MAILBOX_USER,
        "display_name": "Outreach at Acme",
        "inbox_type": "CUSTOM_SMTP",
        "daily_limit": 50,
        "smtp_host": "localhost",
        "smtp_port": server.submission_starttls_port,
        "smtp_username": MAILBOX_USER,
        "smtp_password": MAILBOX_PASSWORD,
        "smtp_use_tls": True,
        "imap_host": "localhost",
        "imap_port": server.imaps_port,
        "imap_username": MAILBOX_USER,
        "imap_password": MAILBOX_PASSWORD,
        "imap_use_ssl": True,
    }
    body.update(overrides)
    return body
