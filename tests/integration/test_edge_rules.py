"""Scopes on every write, isolation on every id, idempotency, rate limits, request shapes."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from local_stack.template import StackTemplate, load_template
from tests.integration.test_list_sender_accounts import seed_inboxes
from tests.support.smartlead import SmartLeadClient
from tests.support.stack import ApiClient, smtp_account

ROUTES = StackTemplate(load_template()).api_routes()
WRITE_ROUTES = sorted({(r.method, r.path) for r in ROUTES if r.method not in {"GET"}})
ID_ROUTES = sorted({(r.method, r.path) for r in ROUTES if "{" in r.path})


def _concrete(path: str, value: str) -> str:
    parts = [value if p.startswith("{") else p for p in path.split("/")]
    return "/".join(parts).removeprefix("/api/public/v1")


def _call(client: ApiClient, method: str, path: str, value: str, body: Any) -> Any:
    """A call to a route of either surface (SmartLead's at /api/v1 as its clients call it)."""
    concrete = _concrete(path, value)
    if not concrete.startswith("/api/v1/"):
        return client.call(method, concrete, body)
    return SmartLeadClient(client).call(method, concrete.removeprefix("/api/v1"), body)


@pytest.mark.parametrize(("method", "path"), WRITE_ROUTES)
@pytest.mark.parametrize("body", [{}, {"inboxes": "not even a list"}])
def test_read_only_key_gets_403_on_every_write(
    workspace: Callable[..., ApiClient], method: str, path: str, body: dict[str, Any]
) -> None:
    reader = workspace(scopes=("sender_accounts:read",))
    response = _call(reader, method, path, "4242", body)
    assert response.status == 403, (method, path, response.body)
    answer = response.json()
    if path.startswith("/api/v1/"):  # SmartLead's surface adds its own fields
        assert (answer.pop("ok"), answer.pop("message")) == (
            False,
            "API key lacks a required scope",
        )
    assert answer == {
        "detail": "API key lacks a required scope",
        "error_code": "INSUFFICIENT_SCOPE",
        "error": "insufficient_scopes",
        "required": ["sender_accounts:write"],
        "granted": ["sender_accounts:read"],
    }


@pytest.mark.parametrize(("method", "path"), ID_ROUTES)
def test_another_workspaces_ids_are_404_on_every_route(
    workspace: Callable[..., ApiClient], method: str, path: str
) -> None:
    owner, stranger = workspace(), workspace()
    inbox_id = seed_inboxes(owner, 1)[0]["inbox_id"]
    job_id = owner.call(
        "POST", "/sender-accounts/bulk/delete", {"inbox_ids": ["x"], "confirm_deletion": True}
    ).json()["job_id"]
    domain_id = owner.call("POST", "/domains", {"domain": f"iso-{job_id[:8]}.example.test"}).json()[
        "domain_id"
    ]
    value = job_id if "job_id" in path else domain_id if "domain_id" in path else inbox_id
    if "{account_id}" in path:
        value = str(owner.call("GET", f"/sender-accounts/{inbox_id}").json()["account_id"])
    if "{webhook_id}" in path:
        hook = {"url": "http://127.0.0.1:9/hook", "events": ["*"]}
        value = owner.call("POST", "/webhooks", hook).json()["webhook_id"]
    bodies = {
        "{webhook_id}": {"enabled": False},
        "test-email": {"recipient_email": "a@example.test"},
        "{inbox_id}": {"status": "PAUSED"},
        "{account_id}": {"from_name": "Taken"},
        "/warmup": {"warmup_enabled": True},
    }
    body = next((b for k, b in bodies.items() if path.endswith(k) and method != "DELETE"), None)
    before = owner.call("GET", f"/sender-accounts/{inbox_id}").json()
    response = _call(stranger, method, path, value, body)
    # SmartLead answers an unknown account on suspend and unsuspend with a 400.
    expected = 400 if "suspend/" in path else 404
    assert response.status == expected, (method, path, response.body)
    assert owner.call("GET", f"/sender-accounts/{inbox_id}").json() == before
    assert owner.call("GET", f"/domains/{domain_id}").status == 200
    if "{webhook_id}" in path:
        assert owner.call("GET", f"/webhooks/{value}").json()["enabled"] is True


def test_same_idempotency_key_and_body_replays_without_doing_the_work_again(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    request = smtp_account(mail_server)
    headers = {"Idempotency-Key": "create-outreach-1"}
    first = client.call("POST", "/sender-accounts/smtp", request, headers=headers)
    again = client.call("POST", "/sender-accounts/smtp", request, headers=headers)
    assert first.status == again.status == 201
    assert again.json()["inbox_id"] == first.json()["inbox_id"]
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 1
    other_body = {**request, "display_name": "Changed"}
    reused = client.call("POST", "/sender-accounts/smtp", other_body, headers=headers)
    assert reused.status == 409
    assert reused.json()["error_code"] == "IDEMPOTENCY_KEY_REUSED"
    # Without the key the same body is a new request: the address exists now
    assert client.call("POST", "/sender-accounts/smtp", request).status == 409


def test_idempotency_records_keep_a_keyed_fingerprint_without_secrets(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    import hashlib

    from sender_accounts.adapters.aws_clients import client as aws
    from sender_accounts.store.dynamo import deserialize

    client = workspace()
    request = smtp_account(mail_server)
    headers = {"Idempotency-Key": "fingerprint-1"}
    assert client.call("POST", "/sender-accounts/smtp", request, headers=headers).status == 201
    table = os.environ["REQUEST_CONTROL_TABLE_NAME"]
    items = [deserialize(i) for i in aws("dynamodb").scan(TableName=table)["Items"]]
    records = [i for i in items if "validation" in i]
    assert records, items
    stored = json.dumps(records, default=str)
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"))
    for plain in (json.dumps(request), canonical):
        for digest in (hashlib.md5, hashlib.sha256):
            assert digest(plain.encode()).hexdigest() not in stored
            assert digest(json.dumps(plain).encode()).hexdigest() not in stored
    assert request["smtp_password"] not in stored
    assert request["imap_password"] not in stored
    # The same request with the password changed is the same retry (the fingerprint leaves
    # secrets out); any other field changed is another request
    retried = {**request, "smtp_password": "another-password", "imap_password": "another-password"}
    again = client.call("POST", "/sender-accounts/smtp", retried, headers=headers)
    assert again.status == 201, again.body
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 1
    renamed = {**request, "display_name": "Someone else"}
    assert client.call("POST", "/sender-accounts/smtp", renamed, headers=headers).status == 409


def test_idempotency_keys_are_scoped_to_the_workspace(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    a, b = workspace(), workspace()
    headers = {"Idempotency-Key": "shared-key"}
    first = a.call("POST", "/sender-accounts/smtp", smtp_account(mail_server), headers=headers)
    second = b.call("POST", "/sender-accounts/smtp", smtp_account(mail_server), headers=headers)
    assert first.status == second.status == 201
    assert first.json()["inbox_id"] != second.json()["inbox_id"]
    too_long = a.call(
        "POST", "/domains", {"domain": "x.example.test"}, headers={"Idempotency-Key": "k" * 256}
    )
    assert too_long.status == 422


def test_rate_limit_answers_429_with_headers(
    workspace: Callable[..., ApiClient], settings_env: Callable[[str, str], None]
) -> None:
    settings_env("RATE_LIMIT_PER_MINUTE", "3")
    client = workspace()
    # The window is a fixed minute: four calls must not straddle its end (a busy machine can
    # take seconds for them), or the fourth starts a new budget.
    into_minute = time.time() % 60
    if into_minute > 45:
        time.sleep(60 - into_minute + 0.1)
    answers = [client.call("GET", "/sender-accounts") for _ in range(4)]
    assert [a.status for a in answers[:3]] == [200, 200, 200]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert all(a.headers["X-RateLimit-Limit"] == "3" for a in answers)
    limited = answers[3]
    assert limited.status == 429
    assert limited.json()["error_code"] == "RATE_LIMITED"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    # Another workspace has its own budget
    assert workspace().call("GET", "/sender-accounts").status == 200


def test_rate_limit_holds_under_concurrency(runtime: object) -> None:
    from sender_accounts.adapters.aws_clients import client
    from sender_accounts.store.rate_limits import RateLimiter

    limiter = RateLimiter(client("dynamodb"), os.environ["REQUEST_CONTROL_TABLE_NAME"], 20)
    allowed: list[bool] = []
    lock = threading.Lock()

    def hit() -> None:
        decision = limiter.hit("ws-concurrency", now=1_800_000_000)
        with lock:
            allowed.append(decision.allowed)

    threads = [threading.Thread(target=hit) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 20


def test_request_shapes_are_4xx(workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    huge = json.dumps({"domain": "x" * 300_000}).encode()
    assert client.call("POST", "/domains", huge).status == 413
    deep = ("[" * 5000 + "]" * 5000).encode()
    deep_answer = client.call("POST", "/domains", deep)
    assert deep_answer.status == 422
    assert deep_answer.json()["detail"][0]["loc"] == ["body"]
    wrong_type = client.call(
        "POST",
        "/domains",
        b"domain=x.test",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert wrong_type.status == 415
    assert client.call("GET", "/domains").json()["pagination"]["total"] == 0


def test_every_error_names_its_error_code(workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    reader = workspace(scopes=("sender_accounts:read",))
    stranger = ApiClient(client.runtime, "cs_test_" + "B" * 43, client.workspace_id)
    unknown = "00000000-0000-4000-8000-00000000abcd"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    answers = {
        "UNAUTHORIZED": stranger.call("GET", "/sender-accounts"),
        "INSUFFICIENT_SCOPE": reader.call("DELETE", f"/sender-accounts/{unknown}"),
        "NOT_FOUND": client.call("GET", f"/sender-accounts/{unknown}"),
        "PAYLOAD_TOO_LARGE": client.call("POST", "/domains", b'{"d": "' + b"x" * 300_000 + b'"}'),
        "UNSUPPORTED_MEDIA_TYPE": client.call("POST", "/domains", b"domain=x", headers=form),
        "VALIDATION_ERROR": client.call("POST", "/domains", {"domain": 5}),
    }
    statuses = {
        "UNAUTHORIZED": 401,
        "INSUFFICIENT_SCOPE": 403,
        "NOT_FOUND": 404,
        "PAYLOAD_TOO_LARGE": 413,
        "UNSUPPORTED_MEDIA_TYPE": 415,
        "VALIDATION_ERROR": 422,
    }
    for code, response in answers.items():
        assert (response.status, response.json()["error_code"]) == (statuses[code], code)
        assert response.json()["detail"]
    # An id that cannot be one says so, still as a 404
    malformed = client.call("GET", "/sender-accounts/not-a-uuid")
    assert malformed.status == 404
    assert "malformed" in malformed.json()["detail"]
    assert malformed.json()["error_code"] == "NOT_FOUND"
