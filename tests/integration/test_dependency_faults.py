"""A throttled DynamoDB: retried, then answered 503 with Retry-After, and nothing stored."""

from __future__ import annotations

from collections.abc import Callable

from local_stack.mail_server import MailServer
from local_stack.runtime import LocalRuntime
from tests.support.fault_proxy import throttling_proxy
from tests.support.stack import ApiClient, smtp_account


def test_throttled_transaction_is_503_and_stores_nothing(
    runtime: LocalRuntime,
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    client = workspace()
    target = "DynamoDB_20120810.TransactWriteItems"
    with throttling_proxy(runtime.stack.endpoint_url, {target}) as (proxy_url, throttled):
        # Given the functions' DynamoDB calls go through the throttling proxy
        settings_env("AWS_ENDPOINT_URL_DYNAMODB", proxy_url)
        # When a good mailbox is connected
        response = client.call("POST", "/sender-accounts/smtp", smtp_account(mail_server))
    # Then the SDK retried the throttled write, the answer is 503, and nothing was stored
    assert len(throttled) >= 2
    assert response.status == 503, response.body
    assert response.json()["error_code"] == "SERVICE_UNAVAILABLE"
    assert response.headers["Retry-After"]
    settings_env("AWS_ENDPOINT_URL_DYNAMODB", runtime.stack.endpoint_url)
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0
    from sender_accounts.composition import repository

    assert not repository.get().address_taken(client.workspace_id, "outreach@acme.test")
