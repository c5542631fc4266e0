"""OAuth2 mailboxes through the API, against a real Dovecot whose oauth2 passdb asks a real
OAuth2 provider on loopback: OAuth apps, connecting with a token object, tokens refreshed and
rotated over time, test emails over XOAUTH2."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from tests.integration.conftest import (
    OAUTH_CLIENT_ID,
    OAUTH_CLIENT_SECRET,
    OAUTH_OTHER_USER,
    OAUTH_USER,
)
from tests.support.inboxes import create_inbox, delivered, finished_job
from tests.support.oauth_server import OAuthProvider
from tests.support.stack import ApiClient


def mail_hosts(server: MailServer) -> dict[str, Any]:
    """The test Dovecot as an OAuth app's mail hosts."""
    return {
        "smtp_host": "localhost",
        "smtp_port": server.submission_starttls_port,
        "smtp_security": "starttls",
        "imap_host": "localhost",
        "imap_port": server.imaps_port,
        "imap_security": "ssl",
    }


def register_app(
    client: ApiClient, provider: OAuthProvider, server: MailServer | None = None, **overrides: Any
) -> str:
    """A Google app at the loopback provider whose inboxes connect to `server`."""
    body = {
        **(mail_hosts(server) if server else {}),
        "provider": "google",
        "client_id": OAUTH_CLIENT_ID,
        "client_secret": OAUTH_CLIENT_SECRET,
        "authorize_url": f"{provider.issuer}/authorize",
        "token_url": f"{provider.issuer}/token",
        **overrides,
    }
    response = client.call("POST", "/oauth-apps", body)
    assert response.status == 201, response.body
    return str(response.json()["oauth_app_id"])


def oauth_account(
    server: MailServer, app_id: str, token: dict[str, Any], **overrides: Any
) -> dict[str, Any]:
    return {
        "email_address": OAUTH_USER,
        "display_name": "OAuth Sender",
        "inbox_type": "GOOGLE_WORKSPACE",
        "oauth_app_id": app_id,
        "token": {k: token[k] for k in ("access_token", "refresh_token", "expiry_date")},
        **overrides,
    }


def connect(client: ApiClient, provider: OAuthProvider, server: MailServer) -> str:
    """A new OAuth2 inbox of OAUTH_USER, with a fresh app and fresh tokens; its id."""
    app_id = register_app(client, provider, server)
    token = provider.issue(OAUTH_USER, OAUTH_CLIENT_ID)
    created = client.call("POST", "/sender-accounts/oauth", oauth_account(server, app_id, token))
    assert created.status == 201, created.body
    return str(created.json()["inbox_id"])


def stored_tokens(client: ApiClient, inbox_id: str) -> tuple[int, Any]:
    """The inbox's token version and its tokens as sealed (opened here, as a function would)."""
    from sender_accounts.composition import repository, vault
    from sender_accounts.oauth.tokens import open_tokens

    inbox = repository.get().get_inbox(client.workspace_id, inbox_id)
    tokens = open_tokens(vault.get(), bytes(inbox.tokens_ciphertext or b""),
                         client.workspace_id, inbox_id)  # fmt: skip
    return inbox.token_version, tokens


def test_oauth_apps_keep_their_secret_and_their_workspace(
    workspace: Callable[..., ApiClient], oauth_provider: OAuthProvider
) -> None:
    owner, stranger = workspace(), workspace()
    app_id = register_app(owner, oauth_provider)
    fetched = owner.call("GET", f"/oauth-apps/{app_id}")
    assert fetched.status == 200
    assert fetched.json()["token_url"] == f"{oauth_provider.issuer}/token"
    assert fetched.json()["inbox_count"] == 0
    listed = owner.call("GET", "/oauth-apps").json()["oauth_apps"]
    assert [app["oauth_app_id"] for app in listed] == [app_id]
    for response in (fetched, owner.call("GET", "/oauth-apps")):
        assert OAUTH_CLIENT_SECRET not in response.body.decode()
        assert "client_secret" not in response.body.decode()
    assert stranger.call("GET", f"/oauth-apps/{app_id}").status == 404
    assert stranger.call("GET", "/oauth-apps").json()["oauth_apps"] == []
    assert stranger.call("DELETE", f"/oauth-apps/{app_id}").status == 404
    microsoft = owner.call(
        "POST", "/oauth-apps",
        {"provider": "microsoft", "client_id": "c", "client_secret": "s3cret-value"},
    )  # fmt: skip
    assert microsoft.status == 201
    assert microsoft.json()["token_url"] == (
        "https://login.microsoftonline.com/common/oauth2/v2.0/token"
    )


@pytest.mark.parametrize(
    ("field", "url", "says"),
    [
        ("token_url", "http://8.8.8.8/token", "https"),
        ("token_url", "https://10.1.2.3/token", "not publicly routable"),
        ("authorize_url", "ftp://example.test/authorize", "https"),
        ("token_url", "https://8.8.4.4:8443/token", "port 443"),
    ],
)
def test_an_endpoint_url_breaking_the_outbound_rule_is_refused_by_name(
    workspace: Callable[..., ApiClient], field: str, url: str, says: str
) -> None:
    client = workspace()
    body = {"provider": "google", "client_id": "c", "client_secret": "s3cret-value", field: url}
    response = client.call("POST", "/oauth-apps", body)
    assert response.status == 422, response.body
    problem = response.json()["detail"][0]
    assert problem["loc"] == ["body", field]
    assert says in problem["msg"]
    assert client.call("GET", "/oauth-apps").json()["oauth_apps"] == []


@pytest.mark.parametrize("access", ["valid", "expired"])
def test_a_mailbox_connects_with_its_tokens_and_the_rotated_refresh_token_is_kept(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
    access: str,
) -> None:
    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    given = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID, expired=access == "expired")
    refreshes = oauth_provider.refreshes()
    created = client.call("POST", "/sender-accounts/oauth", oauth_account(
        oauth_mail_server, app_id, given))  # fmt: skip
    assert created.status == 201, created.body
    body = created.json()
    assert body["auth_type"] == "OAUTH2"
    assert body["overall_status"] == "ACTIVE"
    assert oauth_provider.refreshes() == refreshes + 1  # create always refreshes once
    detail = client.call("GET", f"/sender-accounts/{body['inbox_id']}").json()
    assert detail["auth_type"] == "OAUTH2"
    assert detail["oauth_app_id"] == app_id
    assert detail["smtp_username"] == OAUTH_USER
    text = str(detail)
    assert given["access_token"] not in text
    assert given["refresh_token"] not in text
    version, tokens = stored_tokens(client, body["inbox_id"])
    assert version == 1
    assert tokens.refresh_token != given["refresh_token"]  # the rotated one
    assert tokens.refresh_token in oauth_provider.refresh_tokens
    assert client.call("GET", f"/oauth-apps/{app_id}").json()["inbox_count"] == 1
    in_use = client.call("DELETE", f"/oauth-apps/{app_id}")
    assert (in_use.status, in_use.json()["error_code"]) == (409, "IN_USE")
    assert client.call("DELETE", f"/sender-accounts/{body['inbox_id']}").status == 200
    assert client.call("DELETE", f"/oauth-apps/{app_id}").status == 200


def assert_nothing_stored(client: ApiClient) -> None:
    from sender_accounts.composition import repository

    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0
    assert not repository.get().address_taken(client.workspace_id, OAUTH_USER)


def test_a_revoked_refresh_token_is_an_auth_failure_with_a_reconnect_hint(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
) -> None:
    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    given = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID)
    oauth_provider.revoke(given["refresh_token"])
    response = client.call("POST", "/sender-accounts/oauth", oauth_account(
        oauth_mail_server, app_id, given))  # fmt: skip
    assert response.status == 400, response.body
    body = response.json()
    assert (body["error_code"], body["stage"]) == ("AUTH_FAILED", "oauth")
    assert "invalid_grant" in body["server_reply"]
    assert "connect the mailbox again" in body["hint"]
    assert_nothing_stored(client)


def test_a_token_for_another_user_is_refused_by_the_mail_servers(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
) -> None:
    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    someone_elses = oauth_provider.issue(OAUTH_OTHER_USER, OAUTH_CLIENT_ID)
    response = client.call("POST", "/sender-accounts/oauth", oauth_account(
        oauth_mail_server, app_id, someone_elses))  # fmt: skip
    assert response.status == 400, response.body
    failures = {(e["stage"], e["error_code"]) for e in response.json()["errors"]}
    assert failures == {("smtp", "AUTH_FAILED"), ("imap", "AUTH_FAILED")}
    assert_nothing_stored(client)


def test_an_app_of_another_workspace_or_provider_cannot_be_named(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
) -> None:
    owner, stranger = workspace(), workspace()
    app_id = register_app(owner, oauth_provider, oauth_mail_server)
    given = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID)
    response = stranger.call("POST", "/sender-accounts/oauth", oauth_account(
        oauth_mail_server, app_id, given))  # fmt: skip
    assert response.status == 422
    assert response.json()["detail"][0]["loc"] == ["body", "oauth_app_id"]
    wrong_provider = owner.call("POST", "/sender-accounts/oauth", oauth_account(
        oauth_mail_server, app_id, given, inbox_type="OUTLOOK_365"))  # fmt: skip
    assert wrong_provider.status == 422
    assert wrong_provider.json()["detail"][0]["loc"] == ["body", "inbox_type"]
    assert_nothing_stored(stranger)


@pytest.fixture
def short_lived_access_tokens(oauth_provider: OAuthProvider) -> Any:
    """Access tokens inside the refresh margin from birth: every use refreshes."""
    oauth_provider.access_token_seconds = 60
    yield
    oauth_provider.access_token_seconds = 3600


@pytest.mark.usefixtures("short_lived_access_tokens")
def test_every_use_refreshes_an_expiring_token_and_sends_over_xoauth2(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    given = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID)
    created = client.call("POST", "/sender-accounts/oauth", oauth_account(
        oauth_mail_server, app_id, given))  # fmt: skip
    inbox_id = created.json()["inbox_id"]
    before = oauth_provider.refreshes()
    check = client.call("POST", f"/sender-accounts/{inbox_id}/check")
    assert check.status == 200, check.body
    assert check.json()["overall_status"] == "ACTIVE"
    sent = client.call(
        "POST",
        f"/sender-accounts/{inbox_id}/test-email",
        {"recipient_email": "someone@example.test", "subject": "over XOAUTH2"},
    )
    assert sent.status == 200, sent.body
    message = delivered(oauth_mail_server, sent.json()["message_id"])
    assert message["Subject"] == "over XOAUTH2"
    assert oauth_provider.refreshes() == before + 2
    version, tokens = stored_tokens(client, inbox_id)
    assert version == 3  # created, then each use saved its rotation
    assert tokens.refresh_token in oauth_provider.refresh_tokens
    # Monitoring's worker (through a bulk check's queue) refreshes the same way.
    accepted = client.call("POST", "/sender-accounts/bulk/check", {"inbox_ids": [inbox_id]})
    assert accepted.status == 202, accepted.body
    job = finished_job(client, f"/sender-accounts/bulk/check/{accepted.json()['job_id']}/progress")
    assert job["healthy_count"] == 1, job
    assert stored_tokens(client, inbox_id)[0] == 4


@pytest.mark.usefixtures("short_lived_access_tokens")
def test_concurrent_refreshes_of_one_inbox_lose_no_token(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
    client = workspace()
    inbox_id = connect(client, oauth_provider, oauth_mail_server)
    answers: list[Any] = []

    def check() -> None:
        answers.append(client.call("POST", f"/sender-accounts/{inbox_id}/check"))

    threads = [threading.Thread(target=check) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status for a in answers] == [200] * 4
    assert all(a.json()["overall_status"] == "ACTIVE" for a in answers)
    version, tokens = stored_tokens(client, inbox_id)
    assert 2 <= version <= 5
    assert not oauth_provider.refresh_tokens[tokens.refresh_token].revoked
    # And the stored pair still works: one more check refreshes with it.
    assert client.call("POST", f"/sender-accounts/{inbox_id}/check").json()["overall_status"] == (
        "ACTIVE"
    )


@pytest.mark.usefixtures("short_lived_access_tokens")
def test_a_refresh_that_lost_the_race_does_not_overwrite_the_winner(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
) -> None:
    from sender_accounts.composition import repository, stored_logins

    client = workspace()
    inbox_id = connect(client, oauth_provider, oauth_mail_server)
    # Two uses read the inbox before either refreshed.
    stale = repository.get().get_inbox(client.workspace_id, inbox_id)
    stored_logins.get().logins(client.workspace_id, stale)
    _version, winner = stored_tokens(client, inbox_id)
    _smtp, _imap, secrets = stored_logins.get().logins(client.workspace_id, stale)
    version, kept = stored_tokens(client, inbox_id)
    assert version == stale.token_version + 1
    assert kept.refresh_token == winner.refresh_token
    assert secrets[0][1] != winner.access_token  # the loser used its own fresh token


def test_patch_takes_new_tokens_validated_first_and_refuses_the_other_secret_kind(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
    mail_server: MailServer,
) -> None:
    client = workspace()
    inbox_id = connect(client, oauth_provider, oauth_mail_server)
    path = f"/sender-accounts/{inbox_id}"
    version, before = stored_tokens(client, inbox_id)
    revoked = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID)
    oauth_provider.revoke(revoked["refresh_token"])
    token_of: Callable[[dict[str, Any]], dict[str, Any]] = lambda t: {  # noqa: E731
        "access_token": t["access_token"], "refresh_token": t["refresh_token"]}  # fmt: skip
    refused = client.call("PATCH", path, {"token": token_of(revoked)})
    assert (refused.status, refused.json()["error_code"]) == (400, "AUTH_FAILED")
    assert stored_tokens(client, inbox_id) == (version, before)  # the old tokens stay
    renewed = client.call("PATCH", path, {"token": token_of(
        oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID))})  # fmt: skip
    assert renewed.status == 200, renewed.body
    new_version, after = stored_tokens(client, inbox_id)
    assert new_version == version + 1
    assert after.refresh_token != before.refresh_token
    wrong_kind = client.call("PATCH", path, {"smtp_password": "a-password-here"})
    assert wrong_kind.status == 422
    assert wrong_kind.json()["detail"][0]["loc"] == ["body", "smtp_password"]
    moved = client.call("PATCH", path, {"smtp_port": 2525})
    assert moved.status == 422
    assert moved.json()["detail"][0]["loc"] == ["body", "smtp_port"]  # the app's hosts only
    password_inbox = create_inbox(client, mail_server)
    not_oauth = client.call("PATCH", f"/sender-accounts/{password_inbox}",
                            {"token": token_of(revoked)})  # fmt: skip
    assert not_oauth.status == 422
    assert not_oauth.json()["detail"][0]["loc"] == ["body", "token"]


def test_a_retried_create_with_its_idempotency_key_connects_once(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
) -> None:
    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    body = oauth_account(
        oauth_mail_server, app_id, oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID)
    )
    key = {"Idempotency-Key": "connect-oauth-sender-1"}
    refreshes = oauth_provider.refreshes()
    first = client.call("POST", "/sender-accounts/oauth", body, headers=key)
    again = client.call("POST", "/sender-accounts/oauth", body, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert again.json()["inbox_id"] == first.json()["inbox_id"]
    assert oauth_provider.refreshes() == refreshes + 1  # the replay refreshed nothing
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 1


@pytest.mark.usefixtures("short_lived_access_tokens")
def test_a_revoked_consent_disables_the_inbox_until_a_new_token_is_given(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
    client = workspace()
    inbox_id = connect(client, oauth_provider, oauth_mail_server)
    _version, stored = stored_tokens(client, inbox_id)
    oauth_provider.revoke(stored.refresh_token)  # the user removed the app's access
    check = client.call("POST", f"/sender-accounts/{inbox_id}/check").json()
    assert check["overall_status"] == "DISABLED"
    for protocol in ("smtp", "imap"):
        assert check[protocol]["ok"] is False
        assert check[protocol]["error_code"] == "AUTH_FAILED"
        assert "connect the mailbox again" in check[protocol]["hint"]
    detail = client.call("GET", f"/sender-accounts/{inbox_id}").json()
    assert "connect the mailbox again" in detail["imap_status"]["hint"]
    fresh = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID)
    token = {"access_token": fresh["access_token"], "refresh_token": fresh["refresh_token"]}
    renewed = client.call("PATCH", f"/sender-accounts/{inbox_id}", {"token": token})
    assert renewed.status == 200, renewed.body
    assert renewed.json()["overall_status"] == "ACTIVE"
