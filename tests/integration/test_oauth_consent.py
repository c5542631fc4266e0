"""The hosted consent flow over real HTTP through the local runtime: authorize at a real OAuth2
provider on loopback, its redirect to our callback, the inbox validated against Dovecot's
oauth2 passdb and created, the browser sent back; replayed, expired and unknown states."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from local_stack.mail_server import MailServer
from local_stack.runtime import LocalRuntime
from local_stack.serve import LocalHttpServer, make_handler
from tests.integration.conftest import OAUTH_USER
from tests.integration.test_oauth_mailboxes import register_app
from tests.support.oauth_server import OAuthProvider
from tests.support.stack import API, ApiClient

REDIRECT_URI = "http://127.0.0.1:9/mailboxes/connected"


@pytest.fixture(scope="module")
def base_url(runtime: LocalRuntime) -> Iterator[str]:
    """The local runtime's HTTP front (what `make serve` listens with) on a free port."""
    server = LocalHttpServer(("127.0.0.1", 0), make_handler(runtime.gateway))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def start_consent(
    base_url: str, client: ApiClient, server: MailServer, app_id: str, **overrides: Any
) -> requests.Response:
    body = {
        "oauth_app_id": app_id,
        "inbox_type": "GOOGLE_WORKSPACE",
        "redirect_uri": REDIRECT_URI,
        "login_hint": OAUTH_USER,
        "display_name": "Consented Sender",
        **overrides,
    }
    return requests.post(
        f"{base_url}{API}/oauth/authorizations",
        json=body, headers={"X-API-Key": client.api_key}, timeout=30,
    )  # fmt: skip


def consent_at_provider(authorization_url: str) -> str:
    """The user consents: the provider's redirect to our callback."""
    answer = requests.get(authorization_url, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text
    return str(answer.headers["Location"])


def follow_callback(callback_url: str) -> dict[str, list[str]]:
    """Our callback's redirect back to the user's application, as its query."""
    answer = requests.get(callback_url, allow_redirects=False, timeout=60)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    assert answer.headers["Cache-Control"] == "no-store"
    return parse_qs(urlsplit(location).query)


def inbox_count(client: ApiClient) -> int:
    return int(client.call("GET", "/sender-accounts").json()["pagination"]["total"])


def test_consent_creates_the_inbox_and_a_replayed_state_creates_nothing(
    base_url: str,
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
) -> None:
    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    started = start_consent(base_url, client, oauth_mail_server, app_id)
    assert started.status_code == 201, started.text
    url = started.json()["authorization_url"]
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{oauth_provider.issuer}/authorize?")
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["scope"] == ["https://mail.google.com/ openid email"]
    assert query["login_hint"] == [OAUTH_USER]
    assert query["access_type"] == ["offline"]
    assert query["state"] == [started.json()["state"]]
    assert query["redirect_uri"] == [f"{base_url}{API}/oauth/callback"]
    callback = consent_at_provider(url)
    assert callback.startswith(f"{base_url}{API}/oauth/callback?")
    back = follow_callback(callback)
    assert "error" not in back, back
    inbox = client.call("GET", f"/sender-accounts/{back['inbox_id'][0]}").json()
    assert inbox["email_address"] == OAUTH_USER  # from the ID token's email claim
    assert inbox["display_name"] == "Consented Sender"
    assert inbox["auth_type"] == "OAUTH2"
    assert inbox["overall_status"] == "ACTIVE"
    # The same callback again (a reload, or a stolen URL): nothing happens.
    replayed = follow_callback(callback)
    assert replayed["error_code"] == ["INVALID_STATE"]
    assert "inbox_id" not in replayed
    assert inbox_count(client) == 1


def test_an_expired_state_changes_nothing(
    base_url: str,
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
) -> None:
    from sender_accounts.adapters.aws_clients import client as aws
    from sender_accounts.oauth.consent import state_hash
    from sender_accounts.store.keys import consent_state_key

    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    started = start_consent(base_url, client, oauth_mail_server, app_id).json()
    callback = consent_at_provider(started["authorization_url"])
    # Ten minutes pass.
    aws("dynamodb").update_item(
        TableName=os.environ["TABLE_NAME"],
        Key={k: {"S": v} for k, v in consent_state_key(state_hash(started["state"])).items()},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": {"N": "1"}},
    )
    back = follow_callback(callback)
    assert back["error_code"] == ["INVALID_STATE"]
    assert "inbox_id" not in back
    assert inbox_count(client) == 0


def test_unknown_state_declined_consent_and_foreign_redirects_are_refused(
    base_url: str,
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
) -> None:
    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    unknown = requests.get(
        f"{base_url}{API}/oauth/callback", params={"code": "x", "state": "never-issued"},
        allow_redirects=False, timeout=30,
    )  # fmt: skip
    assert unknown.status_code == 400
    assert unknown.json()["error_code"] == "INVALID_STATE"
    started = start_consent(base_url, client, oauth_mail_server, app_id).json()
    declined = follow_callback(
        f"{base_url}{API}/oauth/callback?state={started['state']}&error=access_denied"
    )
    assert declined["error_code"] == ["CONSENT_DENIED"]
    assert inbox_count(client) == 0
    foreign = start_consent(
        base_url, client, oauth_mail_server, app_id, redirect_uri="http://evil.example/cb"
    )
    assert foreign.status_code == 422
    assert foreign.json()["detail"][0]["loc"] == ["body", "redirect_uri"]
    no_key = requests.post(f"{base_url}{API}/oauth/authorizations", json={}, timeout=30)
    assert no_key.status_code == 401


def test_the_callback_is_built_on_the_public_base_url_when_set(
    base_url: str,
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("PUBLIC_BASE_URL", "https://mail-api.example.test/")
    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    started = start_consent(base_url, client, oauth_mail_server, app_id).json()
    query = parse_qs(urlsplit(started["authorization_url"]).query)
    assert query["redirect_uri"] == [f"https://mail-api.example.test{API}/oauth/callback"]


def test_the_callback_is_rate_limited_per_source_address(
    runtime: LocalRuntime, settings_env: Callable[[str, str], None]
) -> None:
    settings_env("RATE_LIMIT_PER_MINUTE", "3")

    def callback_from(address: str) -> int:
        query = {"code": ["x"], "state": ["never-issued"]}
        answer = runtime.gateway.handle("GET", f"{API}/oauth/callback", query, {}, None,
                                        source_ip=address)  # fmt: skip
        return answer.status

    assert [callback_from("127.0.0.77") for _ in range(4)] == [400, 400, 400, 429]
    assert callback_from("127.0.0.78") == 400  # another address has its own allowance
