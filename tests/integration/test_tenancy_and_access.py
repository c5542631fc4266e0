"""Workspaces see only their own data; keys need the right scope; a bad key gets 401."""

from __future__ import annotations

import threading
from collections.abc import Callable

from local_stack.mail_server import MailServer
from tests.support.stack import ApiClient, smtp_account


def test_another_workspace_can_neither_read_list_nor_delete(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    # Given an inbox in workspace A
    a, b = workspace(), workspace()
    inbox_id = a.call("POST", "/sender-accounts/smtp", smtp_account(mail_server)).json()["inbox_id"]
    # When workspace B asks for it, lists, and tries to delete it
    read = b.call("GET", f"/sender-accounts/{inbox_id}")
    listed = b.call("GET", "/sender-accounts")
    deleted = b.call("DELETE", f"/sender-accounts/{inbox_id}")
    # Then B is told it does not exist, exactly as for an unknown id, and A still has it
    assert read.status == 404
    assert read.json() == {"detail": "Sender account not found", "error_code": "NOT_FOUND"}
    assert listed.status == 200
    assert listed.json()["pagination"]["total"] == 0
    assert deleted.status == 404
    assert a.call("GET", f"/sender-accounts/{inbox_id}").status == 200
    # And B may connect the same address in its own workspace
    assert b.call("POST", "/sender-accounts/smtp", smtp_account(mail_server)).status == 201


def test_delete_removes_inbox_and_frees_the_address(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    client = workspace()
    inbox_id = client.call("POST", "/sender-accounts/smtp", smtp_account(mail_server)).json()[
        "inbox_id"
    ]
    deleted = client.call("DELETE", f"/sender-accounts/{inbox_id}")
    assert deleted.status == 200
    assert deleted.json() == {
        "success": True,
        "message": "Sender account deleted successfully",
        "inbox_id": inbox_id,
    }
    assert client.call("GET", f"/sender-accounts/{inbox_id}").status == 404
    assert client.call("DELETE", f"/sender-accounts/{inbox_id}").status == 404
    assert client.call("POST", "/sender-accounts/smtp", smtp_account(mail_server)).status == 201


def test_concurrent_creation_of_one_address_yields_one_inbox(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    # Given several requests for the same address racing past the early duplicate check
    from sender_accounts.accounts.models import CreateSmtpAccountRequest
    from sender_accounts.composition import accounts
    from sender_accounts.errors import DuplicateAddress

    client = workspace()
    request = CreateSmtpAccountRequest.model_validate(smtp_account(mail_server))
    service = accounts.get()
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def create() -> None:
        barrier.wait()
        try:
            service.create_smtp_account(client.workspace_id, request)
            outcomes.append("created")
        except DuplicateAddress:
            outcomes.append("duplicate")

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then exactly one inbox exists
    assert sorted(outcomes) == ["created"] + ["duplicate"] * 5
    listed = client.call("GET", "/sender-accounts").json()
    assert listed["pagination"]["total"] == 1


UNAUTHORIZED = {
    "detail": "Invalid or missing API key",
    "error_code": "UNAUTHORIZED",
    "ok": False,  # SmartLead's clients read these three; the gateway answers for both surfaces
    "message": "Invalid API Key",
    "error": "Invalid or missing API key",
}


def test_missing_and_unknown_keys_get_401(workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    missing = client.runtime.gateway.handle("GET", "/api/public/v1/sender-accounts", {}, {}, None)
    assert missing.status == 401
    assert missing.json() == UNAUTHORIZED
    unknown = ApiClient(client.runtime, "cs_test_" + "A" * 43, client.workspace_id)
    response = unknown.call("GET", "/sender-accounts")
    assert response.status == 401
    assert response.json() == UNAUTHORIZED


def test_read_only_key_gets_403_on_writes(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    writer = workspace()
    name = f"shared-{writer.workspace_id}"
    writer = workspace(name=name)
    reader = workspace(scopes=("sender_accounts:read",), name=name)
    assert reader.workspace_id == writer.workspace_id
    inbox_id = writer.call("POST", "/sender-accounts/smtp", smtp_account(mail_server)).json()[
        "inbox_id"
    ]

    assert reader.call("GET", f"/sender-accounts/{inbox_id}").status == 200
    for method, path, body in (
        (
            "POST",
            "/sender-accounts/smtp",
            smtp_account(mail_server, email_address="other@acme.test"),
        ),
        ("DELETE", f"/sender-accounts/{inbox_id}", None),
    ):
        response = reader.call(method, path, body)
        assert response.status == 403
        assert response.json() == {
            "detail": "API key lacks a required scope",
            "error_code": "INSUFFICIENT_SCOPE",
            "error": "insufficient_scopes",
            "required": ["sender_accounts:write"],
            "granted": ["sender_accounts:read"],
        }
    assert writer.call("GET", f"/sender-accounts/{inbox_id}").status == 200
