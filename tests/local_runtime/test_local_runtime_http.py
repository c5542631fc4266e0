"""`make serve` over real HTTP: ColdSend's documented `requests` examples work unchanged but for
base URL, key, addresses, credentials, hosts and ports; events have API Gateway's shape."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from local_stack.apigateway import proxy_event
from local_stack.mail_server import MailServer
from local_stack.pki import ServerPki
from local_stack.ports import free_port
from local_stack.state import LocalStackState
from local_stack.template import PROJECT_ROOT
from tests.support.stack import MAILBOX_PASSWORD, MAILBOX_USER

DEMO_KEY = "cs_test_" + "LocalRuntimeHttpTestKey0123456789abcdef"
PRINTED: list[str] = []  # what `make serve` printed up to Ready
SAM = PROJECT_ROOT / ".tools" / "sam" / "bin" / "sam"


STACK_DIR: list[Path] = []  # the module's stack keeps its state (and its snapshot) here
DEMO_INBOX: dict[str, str] = {}  # the demo inbox made from the printed curl


def _start_serve(
    pki: ServerPki, directory: Path, **extra: str
) -> tuple[str, subprocess.Popen[str], list[str]]:
    """`make serve` on a free port, its state in `directory`: (base URL, process, lines printed
    up to Ready)."""
    env = {
        **os.environ,
        "PORT": str(free_port()),
        "DEMO_API_KEY": DEMO_KEY,
        "SSL_CERT_FILE": str(pki.ca_cert),
        "LOCAL_STACK_DIR": str(directory),
        "CHECK_MIN_INTERVAL_SECONDS": "1",  # a check after the restart is not the cached one
        **extra,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "local_stack.serve"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if line.startswith("Ready: "):
            break
    else:
        process.kill()
        pytest.fail("make serve did not become ready: " + "".join(lines))
    return line.removeprefix("Ready: ").strip(), process, lines


@pytest.fixture(scope="module")
def serve(
    pki: ServerPki, mail_server: MailServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    STACK_DIR[:] = [tmp_path_factory.mktemp("local-stack")]
    base_url, process, lines = _start_serve(pki, STACK_DIR[0])
    assert f"API key: {DEMO_KEY}\n" in lines
    PRINTED[:] = lines
    yield base_url, process
    _stop(process)


def _stop(process: subprocess.Popen[str]) -> None:
    """As Ctrl-C does (its demo Dovecot stops too); killed only if it does not stop."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_coldsend_documentation_examples_work_unchanged(
    serve: tuple[str, subprocess.Popen[str]], mail_server: MailServer
) -> None:
    base_url, _ = serve
    api_key = DEMO_KEY
    # The provider-configuration page's "Custom SMTP" example, hosts and ports changed
    response = requests.post(
        f"{base_url}/api/public/v1/sender-accounts/smtp",
        headers={"X-API-Key": api_key},
        json={
            "email_address": MAILBOX_USER,
            "display_name": "Outreach Team",
            "inbox_type": "CUSTOM_SMTP",
            "daily_limit": 100,
            "smtp_host": "localhost",
            "smtp_port": mail_server.submission_starttls_port,
            "smtp_username": MAILBOX_USER,
            "smtp_password": MAILBOX_PASSWORD,
            "smtp_use_tls": True,
            "imap_host": "localhost",
            "imap_port": mail_server.imaps_port,
            "imap_username": MAILBOX_USER,
            "imap_password": MAILBOX_PASSWORD,
            "imap_use_ssl": True,
        },
        timeout=30,
    )
    sender_account = response.json()
    print(f"Sender account created: {sender_account['inbox_id']}")
    assert response.status_code == 201
    assert sender_account["overall_status"] == "ACTIVE"

    # The overview page's list example, filters changed to match
    response = requests.get(
        f"{base_url}/api/public/v1/sender-accounts?inbox_type=CUSTOM_SMTP&status=ACTIVE&page=1&limit=20",
        headers={"X-API-Key": api_key},
        timeout=30,
    )
    listed = response.json()
    assert [a["inbox_id"] for a in listed["sender_accounts"]] == [sender_account["inbox_id"]]
    assert listed["message"] == "Retrieved 1 sender accounts"

    one = requests.get(
        f"{base_url}/api/public/v1/sender-accounts/{sender_account['inbox_id']}",
        headers={"X-API-Key": api_key},
        timeout=30,
    )
    assert one.status_code == 200
    assert one.json()["email_address"] == MAILBOX_USER

    # The BYOC page's example uses the older path; a wrong password gives the contract's 400
    response = requests.post(
        f"{base_url}/api/public/v1/sender-accounts",
        headers={"X-API-Key": api_key},
        json={
            "email_address": "second@acme.test",
            "display_name": "John Smith",
            "inbox_type": "GOOGLE_WORKSPACE",
            "daily_limit": 50,
            "smtp_host": "localhost",
            "smtp_port": mail_server.submission_starttls_port,
            "smtp_username": "second@acme.test",
            "smtp_password": "your-app-password",
            "smtp_use_tls": True,
            "imap_host": "localhost",
            "imap_port": mail_server.imaps_port,
            "imap_username": "second@acme.test",
            "imap_password": MAILBOX_PASSWORD,
            "imap_use_ssl": True,
        },
        timeout=30,
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "SMTP connection failed: Authentication failed"
    assert body["error_code"] == "AUTH_FAILED"

    deleted = requests.delete(
        f"{base_url}/api/public/v1/sender-accounts/{sender_account['inbox_id']}",
        headers={"X-API-Key": api_key},
        timeout=30,
    )
    assert deleted.status_code == 200
    assert deleted.json()["success"] is True


def test_authorizer_answers_match_the_contract(serve: tuple[str, subprocess.Popen[str]]) -> None:
    base_url, _ = serve
    url = f"{base_url}/api/public/v1/sender-accounts"
    for headers in ({}, {"X-API-Key": "cs_test_" + "x" * 40}, {"X-API-Key": "not-a-key"}):
        response = requests.get(url, headers=headers, timeout=10)
        assert response.status_code == 401
        assert response.json() == {
            "detail": "Invalid or missing API key",
            "error_code": "UNAUTHORIZED",
            "ok": False,  # SmartLead's clients read these three; the gateway answers for both
            "message": "Invalid API Key",
            "error": "Invalid or missing API key",
        }
    command = [sys.executable, "-m", "local_stack.api_key", "--workspace", "readers"]
    command += ["--scopes", "sender_accounts:read"]
    env = {**os.environ, "LOCAL_STACK_DIR": str(STACK_DIR[0])}  # where it finds the stack
    printed = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True
    )
    key = printed.stdout.strip().splitlines()[-1]
    assert requests.get(url, headers={"X-API-Key": key}, timeout=10).status_code == 200
    refused = requests.delete(f"{url}/any-id", headers={"X-API-Key": key}, timeout=10)
    assert refused.status_code == 403
    assert refused.json()["error"] == "insufficient_scopes"
    unknown_route = requests.get(f"{base_url}/nowhere", headers={"X-API-Key": key}, timeout=10)
    assert unknown_route.status_code == 404
    assert unknown_route.json()["error_code"] == "NOT_FOUND"


def test_openapi_and_swagger_are_served(serve: tuple[str, subprocess.Popen[str]]) -> None:
    base_url, _ = serve
    document = requests.get(f"{base_url}/openapi.json", timeout=10).json()
    assert "/api/public/v1/sender-accounts/smtp" in document["paths"]
    page = requests.get(f"{base_url}/swagger", timeout=10)
    assert page.status_code == 200
    assert "swagger-ui" in page.text
    assert requests.get(f"{base_url}/swagger/swagger-ui.min.css", timeout=10).status_code == 200
    # The root leads to the API's page, and the page's own JSON link answers JSON
    root = requests.get(f"{base_url}/", timeout=10, allow_redirects=False)
    assert (root.status_code, root.headers["Location"]) == (302, "/swagger")
    linked = requests.get(f"{base_url}/swagger?format=json", timeout=10)
    assert linked.headers["Content-Type"] == "application/json"
    assert linked.json()["paths"] == document["paths"]


def test_a_burst_of_clients_is_served_not_reset(serve: tuple[str, subprocess.Popen[str]]) -> None:
    base_url, _ = serve
    with ThreadPoolExecutor(max_workers=100) as pool:
        statuses = list(
            pool.map(lambda _: requests.get(f"{base_url}/openapi.json", timeout=60).status_code,
                     range(100))
        )  # fmt: skip
    assert statuses == [200] * 100


def _printed_curl_of(lines: list[str]) -> str:
    start = next(n for n, line in enumerate(lines) if line.startswith("curl -s "))
    end = next(n for n in range(start, len(lines)) if not lines[n].rstrip().endswith("\\"))
    return "".join(lines[start : end + 1])


def _printed_curl() -> str:
    return _printed_curl_of(PRINTED)


def _run(command: str) -> dict[str, Any]:
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))  # the command prints the JSON answer only


def test_the_demo_mailbox_validates_for_real_and_its_mail_is_shown(
    serve: tuple[str, subprocess.Popen[str]],
) -> None:
    base_url, _ = serve
    command = _printed_curl()
    password = json.loads(command.split(" -d ", 1)[1].strip().strip("'"))["smtp_password"]
    # The same command with a wrong password shows the server's refusal
    wrong = command.replace(password, "not-the-password").replace("demo-inbox", "demo-wrong")
    refused = _run(wrong)
    assert refused["error_code"] == "AUTH_FAILED"
    assert refused["server_reply"].startswith("535")
    # As printed: an ACTIVE inbox; run again, the same answer (its Idempotency-Key)
    created = _run(command)
    assert created["overall_status"] == "ACTIVE"
    assert _run(command)["inbox_id"] == created["inbox_id"]
    DEMO_INBOX.update(created)
    # A test email from it shows up in the local mail viewer
    headers = {"X-API-Key": DEMO_KEY}
    url = f"{base_url}/api/public/v1/sender-accounts/{created['inbox_id']}/test-email"
    body = {"recipient_email": "prospect@example.test", "subject": "Seen in the viewer"}
    assert requests.post(url, json=body, headers=headers, timeout=30).status_code == 200
    deadline = time.monotonic() + 10
    seen: list[dict[str, Any]] = []
    while not seen and time.monotonic() < deadline:
        listed = requests.get(f"{base_url}/_local/mail.json", timeout=10).json()["messages"]
        seen = [m for m in listed if m["subject"] == "Seen in the viewer"]
        time.sleep(0.2)
    assert seen, "the test email never reached the viewer"
    assert seen[0]["to"] == ["prospect@example.test"]
    assert "demo@demo.test" in seen[0]["from"]
    assert "Subject: Seen in the viewer" in seen[0]["raw"]
    page = requests.get(f"{base_url}/_local/mail", timeout=10)
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Seen in the viewer" in page.text
    # Local only: the viewer is not part of the API's document
    document = requests.get(f"{base_url}/openapi.json", timeout=10).json()
    assert not any("_local" in path for path in document["paths"])


def _quickstart_commands() -> list[str]:
    """The commands of the quickstart's curl examples (its first two bash blocks that use $API),
    continuation lines joined, comments left out."""
    quickstart = (PROJECT_ROOT / "docs" / "quickstart.md").read_text()
    blocks = [b.split("```", 1)[0] for b in quickstart.split("```bash\n")[1:]]
    commands: list[str] = []
    for block in [b for b in blocks if "$API" in b][:2]:
        pending = ""
        for line in block.splitlines():
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if not pending and line.startswith("export "):
                commands.append(line.split("  #", 1)[0].strip())  # one line, its comment off
                continue
            pending += line + "\n"
            if not line.rstrip().endswith("\\") and pending.count("'") % 2 == 0:
                commands.append(pending.strip())
                pending = ""
    return commands


def test_the_quickstarts_curl_examples_work_as_written(
    serve: tuple[str, subprocess.Popen[str]],
) -> None:
    base_url, _ = serve
    printed = json.loads(_printed_curl().split(" -d ", 1)[1].strip().strip("'"))
    # What the quickstart says to take from make serve's output
    given = {
        "PORT": base_url.rsplit(":", 1)[1],
        "KEY": DEMO_KEY,
        "SMTP_PORT": str(printed["smtp_port"]),
        "IMAP_PORT": str(printed["imap_port"]),
        "DEMO_PASSWORD": printed["smtp_password"],
    }
    prelude = "\n".join(f"export {name}={value}" for name, value in given.items())
    # ... and what it says earlier answers give
    placeholders: dict[str, str] = {}
    answers: list[tuple[str, dict[str, Any]]] = []
    for command in _quickstart_commands():
        if command.startswith("export"):
            names = {part.split("=", 1)[0] for part in command.split()[1:]}
            if not names <= set(given):  # the values it says to take from make serve stay
                prelude += "\n" + command
            continue
        for name, value in placeholders.items():
            command = command.replace(f"<{name}>", value)
        assert "<" not in command.split("-H")[0], f"a placeholder with no value yet: {command}"
        answer = _run(f"{prelude}\n{command}")
        assert answer.get("error_code") not in {"SERVICE_UNAVAILABLE", "MAIL_HOST_BUSY"}, answer
        answers.append((command, answer))
        placeholders.setdefault("inbox_id", answer.get("inbox_id", ""))
        if "job_id" in answer:
            placeholders["job_id"] = answer["job_id"]
        if "dns_records" in answer:
            placeholders["domain_id"] = answer["domain_id"]
        cursor = (answer.get("pagination") or {}).get("next_cursor")
        if cursor:
            placeholders["pagination.next_cursor"] = cursor
        placeholders = {k: v for k, v in placeholders.items() if v}
    assert answers[0][1].get("overall_status") == "ACTIVE", answers[0]
    assert answers[1][1]["overall_status"] == "DISABLED"  # stored after a failed validation
    assert len(answers) >= 25
    sent = [a for c, a in answers if "/test-email" in c]
    assert sent[0]["message_id"]
    walked = [a for c, a in answers if "cursor=" in c]
    assert walked[0]["success"] is True
    checked = [a for c, a in answers if c.rstrip().endswith('/check -H "X-API-Key: $KEY"')]
    assert checked[0]["overall_status"] in {"ACTIVE", "PAUSED"}
    assert answers[-1][1]["error_code"] == "IN_USE"  # the domain still has its native inboxes


def test_swagger_renders_in_chromium_and_try_it_out_lists_with_the_demo_key(
    serve: tuple[str, subprocess.Popen[str]],
) -> None:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        pytest.skip("Chromium is not installed (make test installs it on Debian)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    base_url, _ = serve
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(driver_path), options=options)
    wait = WebDriverWait(browser, 30)
    try:
        browser.get(f"{base_url}/")  # the root leads to the page
        wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
        rendered = browser.find_elements(By.CSS_SELECTOR, ".opblock")
        assert len(rendered) == sum(len(ops) for ops in _document(base_url)["paths"].values())
        # Authorize with the demo key, as a user would
        browser.find_element(By.CSS_SELECTOR, ".auth-wrapper button.authorize").click()
        field = wait.until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".modal-ux input"))
        )
        field.send_keys(DEMO_KEY)
        browser.find_element(By.CSS_SELECTOR, ".modal-ux button.authorize").click()
        browser.find_element(By.CSS_SELECTOR, ".modal-ux button.btn-done").click()
        # The list operation: open it, Try it out, Execute
        listing = next(
            block
            for block in browser.find_elements(By.CSS_SELECTOR, ".opblock-get")
            if block.find_element(By.CSS_SELECTOR, ".opblock-summary-path").text
            == "/api/public/v1/sender-accounts"
        )
        listing.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
        wait.until(lambda _: listing.find_elements(By.CSS_SELECTOR, ".try-out__btn"))
        listing.find_element(By.CSS_SELECTOR, ".try-out__btn").click()
        wait.until(lambda _: listing.find_elements(By.CSS_SELECTOR, "button.execute"))
        listing.find_element(By.CSS_SELECTOR, "button.execute").click()
        answered = ".live-responses-table .response-col_status"

        def codes(_: object) -> list[str]:  # the header cell reads "Code"
            cells = listing.find_elements(By.CSS_SELECTOR, answered)
            return [c.text.strip() for c in cells if c.text.strip()[:1].isdigit()]

        assert wait.until(codes)[0].startswith("200")
    finally:
        browser.quit()


def _document(base_url: str) -> dict[str, Any]:
    return dict(requests.get(f"{base_url}/openapi.json", timeout=10).json())


def _bulk_queue(directory: Path) -> Any:
    """The running stack's SQS, as its administrator."""
    state = LocalStackState.load_running(directory / "state.json")
    assert state is not None
    return boto3.client(
        "sqs",
        endpoint_url=state.moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id=state.administrator["access_key_id"],
        aws_secret_access_key=state.administrator["secret_access_key"],
    )


def _bulk_queue_url(directory: Path) -> str:
    state = LocalStackState.load_running(directory / "state.json")
    assert state is not None
    return state.environment["BULK_QUEUE_URL"]


def test_ctrl_c_stops_cleanly_and_keeps_the_data(serve: tuple[str, subprocess.Popen[str]]) -> None:
    base_url, process = serve
    # An inbox to find after the restart (the quickstart's walk deleted the first demo inbox)
    again = _printed_curl().replace("Idempotency-Key: demo-inbox", "Idempotency-Key: kept")
    DEMO_INBOX["kept_inbox_id"] = _run(again)["inbox_id"]
    # A native inbox (its domain's identity lives in the emulated SES) and a message that
    # waits in a queue for 15 minutes
    api, headers = f"{base_url}/api/public/v1", {"X-API-Key": DEMO_KEY}
    domain = requests.post(
        f"{api}/domains", json={"domain": "kept.example.com"}, headers=headers, timeout=30
    ).json()
    requests.get(f"{api}/domains/{domain['domain_id']}", headers=headers, timeout=30)
    native = requests.post(
        f"{api}/sender-accounts/coldsend-native",
        json={"domain_id": domain["domain_id"], "email_prefix": "kept", "display_name": "Kept"},
        headers=headers,
        timeout=30,
    )
    assert native.status_code == 201, native.text
    DEMO_INBOX["native_inbox_id"] = native.json()["inbox_id"]
    _bulk_queue(STACK_DIR[0]).send_message(
        QueueUrl=_bulk_queue_url(STACK_DIR[0]), MessageBody="{}", DelaySeconds=900
    )
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    assert not (STACK_DIR[0] / "state.json").exists()
    snapshot = STACK_DIR[0] / "snapshot.json"
    assert snapshot.stat().st_mode & 0o777 == 0o600  # key material and passwords are in it


def _mail_subjects(base_url: str) -> list[str]:
    listed = requests.get(f"{base_url}/_local/mail.json", timeout=10).json()["messages"]
    return [str(message["subject"]) for message in listed]


def test_a_restart_keeps_inboxes_their_keys_and_the_mail_and_fresh_starts_empty(
    pki: ServerPki,
) -> None:
    assert DEMO_INBOX, "runs after the demo mailbox test, on the data it left"
    directory = STACK_DIR[0]
    base_url, process, lines = _start_serve(pki, directory, DEMO_API_KEY="")
    try:
        assert any(line.startswith("Restoring the data kept at the last stop") for line in lines)
        # The demo key comes back without DEMO_API_KEY, and the printed curl replays its 201
        assert f"API key: {DEMO_KEY}\n" in lines
        # the demo mailbox keeps its password and ports
        printed = _printed_curl_of(lines)
        assert printed.split(" -d ")[1] == _printed_curl().split(" -d ")[1]
        assert _run(printed)["inbox_id"] == DEMO_INBOX["inbox_id"]
        headers = {"X-API-Key": DEMO_KEY}
        inbox = f"{base_url}/api/public/v1/sender-accounts/{DEMO_INBOX['kept_inbox_id']}"
        # The password, sealed under the kept KMS key, still opens both mailboxes...
        checked = requests.post(f"{inbox}/check", headers=headers, timeout=60).json()
        assert "cached" in checked, checked
        assert (checked["cached"], checked["smtp"]["ok"], checked["imap"]["ok"]) == (
            False, True, True,
        )  # fmt: skip
        # ...and sends; the viewer shows the mail of both runs
        body = {"recipient_email": "after@example.test", "subject": "After the restart"}
        sent = requests.post(f"{inbox}/test-email", json=body, headers=headers, timeout=30)
        assert sent.status_code == 200, sent.text
        deadline = time.monotonic() + 10
        while "After the restart" not in _mail_subjects(base_url) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert {"Seen in the viewer", "After the restart"} <= set(_mail_subjects(base_url))
        # SES still verifies the native inbox's domain
        native = f"{base_url}/api/public/v1/sender-accounts/{DEMO_INBOX['native_inbox_id']}"
        checked = requests.post(f"{native}/check", headers=headers, timeout=60).json()
        assert checked["overall_status"] == "ACTIVE", checked
        # The queued message still waits (delayed, not delivered early)
        queue = _bulk_queue(directory)
        delayed = queue.get_queue_attributes(
            QueueUrl=_bulk_queue_url(directory), AttributeNames=["All"]
        )["Attributes"]
        assert delayed["ApproximateNumberOfMessagesDelayed"] == "1", delayed
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    base_url, process, lines = _start_serve(pki, directory, FRESH="1")
    try:
        assert any(line.startswith("FRESH: starting empty") for line in lines)
        path = f"/api/public/v1/sender-accounts/{DEMO_INBOX['kept_inbox_id']}"
        missing = requests.get(base_url + path, headers=headers, timeout=10)
        assert missing.status_code == 404
        assert _mail_subjects(base_url) == []
    finally:
        _stop(process)


def _keys(value: dict[str, object]) -> set[str]:
    return set(value)


@pytest.mark.skipif(not SAM.exists(), reason="the SAM CLI is installed by `make test`")
def test_proxy_events_have_api_gateways_shape() -> None:
    generated = subprocess.run(
        [str(SAM), "local", "generate-event", "apigateway", "aws-proxy"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
    )
    reference = json.loads(generated.stdout)
    ours = proxy_event(
        "POST", "/path/to/resource", "/{proxy+}", {"proxy": "path/to/resource"},
        {"foo": ["bar"]}, {"Accept": ["*/*"]}, b'{"test":"body"}',
    )  # fmt: skip
    assert _keys(reference) <= _keys(ours)
    assert _keys(reference["requestContext"]) <= _keys(ours["requestContext"])
    identity = reference["requestContext"]["identity"]
    assert _keys(identity) <= _keys(ours["requestContext"]["identity"])
    for key in ("multiValueHeaders", "multiValueQueryStringParameters"):
        assert all(isinstance(v, list) for v in ours[key].values())
    assert ours["requestContext"]["path"] == "/prod/path/to/resource"
    assert isinstance(ours["requestContext"]["requestTimeEpoch"], int)
