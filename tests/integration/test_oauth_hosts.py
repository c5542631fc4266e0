"""An OAuth2 mailbox connects only to its OAuth app's mail hosts: the token its user consented
to is never sent where a key holder points it. And the consent's address is validated exactly
as `email_address` is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from tests.integration.conftest import OAUTH_CLIENT_ID, OAUTH_USER
from tests.integration.test_oauth_consent import (  # noqa: F401 (base_url: a fixture)
    base_url,
    consent_at_provider,
    follow_callback,
    inbox_count,
    start_consent,
)
from tests.integration.test_oauth_mailboxes import oauth_account, register_app
from tests.support.hostile_servers import Recording, recording_imap, recording_smtp
from tests.support.misbehaving_servers import misbehaving_server
from tests.support.oauth_server import OAuthProvider
from tests.support.stack import ApiClient

HOST_FIELDS = ["smtp_host", "smtp_port", "smtp_security", "imap_host", "imap_port", "imap_security"]
ELSEWHERE: dict[str, Any] = {
    "smtp_host": "collector.example", "smtp_port": 587, "smtp_security": "none",
    "imap_host": "collector.example", "imap_port": 143, "imap_security": "none",
}  # fmt: skip


def test_an_app_declares_its_hosts_with_the_providers_by_default(
    workspace: Callable[..., ApiClient], oauth_provider: OAuthProvider
) -> None:
    client = workspace()
    app_id = register_app(client, oauth_provider)
    shown = client.call("GET", f"/oauth-apps/{app_id}").json()
    assert {k: shown[k] for k in HOST_FIELDS} == {
        "smtp_host": "smtp.gmail.com", "smtp_port": 587, "smtp_security": "starttls",
        "imap_host": "imap.gmail.com", "imap_port": 993, "imap_security": "ssl",
    }  # fmt: skip
    microsoft = client.call("POST", "/oauth-apps", {
        "provider": "microsoft", "client_id": "c", "client_secret": "s"}).json()  # fmt: skip
    assert (microsoft["smtp_host"], microsoft["imap_host"]) == (
        "smtp.office365.com", "outlook.office365.com")  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("smtp_host", "10.0.0.8", "publicly routable"),
        ("imap_host", "2130706433", "DNS name"),
        ("imap_host", "0x7f000001", "DNS name"),
        ("smtp_host", "127.1", "DNS name"),
        ("smtp_host", "mail..example.com", "DNS name"),
        ("smtp_host", "[::1]", "DNS name"),
    ],
)
def test_an_apps_hosts_are_checked_at_creation(
    workspace: Callable[..., ApiClient], field: str, value: str, says: str
) -> None:
    client = workspace()
    body = {"provider": "google", "client_id": "c", "client_secret": "s", field: value}
    refused = client.call("POST", "/oauth-apps", body)
    assert refused.status == 422, refused.body
    problem = refused.json()["detail"][0]
    assert problem["loc"] == ["body", field]
    assert says in problem["msg"]
    assert client.call("GET", "/oauth-apps").json()["oauth_apps"] == []


@pytest.mark.parametrize("field", HOST_FIELDS)
def test_every_way_to_point_an_oauth_inbox_elsewhere_is_refused_by_name(
    base_url: str,  # noqa: F811
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
    field: str,
) -> None:
    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    token = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID)
    extra = {field: ELSEWHERE[field]}
    created = client.call("POST", "/sender-accounts/oauth", {
        **oauth_account(oauth_mail_server, app_id, token), **extra})  # fmt: skip
    assert created.status == 422, created.body
    assert created.json()["detail"][0]["loc"] == ["body", field]
    started = start_consent(base_url, client, oauth_mail_server, app_id, **extra)
    assert started.status_code == 422, started.text
    assert started.json()["detail"][0]["loc"] == ["body", field]
    connected = client.call(
        "POST", "/sender-accounts/oauth", oauth_account(oauth_mail_server, app_id, token)
    )
    inbox_id = connected.json()["inbox_id"]
    patched = client.call("PATCH", f"/sender-accounts/{inbox_id}", extra)
    assert patched.status == 422, patched.body
    assert patched.json()["detail"][0]["loc"] == ["body", field]


def test_an_inbox_stored_at_other_hosts_connects_to_its_apps(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
    settings_env: Callable[[str, str], None],
) -> None:
    """An inbox connected before apps declared their hosts, at hosts a key holder chose: its
    next check goes to the app's hosts and sends the collector nothing."""
    from sender_accounts.composition import repository
    from sender_accounts.store.records import InboxChanges

    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    token = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID)
    inbox_id = client.call("POST", "/sender-accounts/oauth", oauth_account(
        oauth_mail_server, app_id, token)).json()["inbox_id"]  # fmt: skip
    smtp_seen, imap_seen = Recording(), Recording()
    with (
        misbehaving_server(recording_smtp(smtp_seen)) as smtp_port,
        misbehaving_server(recording_imap(imap_seen)) as imap_port,
    ):
        store = repository.get()
        inbox = store.get_inbox(client.workspace_id, inbox_id)
        moved = InboxChanges(smtp_port=smtp_port, smtp_security="none",
                             imap_port=imap_port, imap_security="none")  # fmt: skip
        store.update_inbox(client.workspace_id, inbox, moved)
        check = client.call("POST", f"/sender-accounts/{inbox_id}/check")
    assert check.status == 200, check.body
    assert check.json()["overall_status"] == "ACTIVE"
    assert smtp_seen.connections == imap_seen.connections == 0


@pytest.mark.parametrize(
    "claim",
    [
        "x@example.com\r\nBcc: v@e.test",
        "=?utf-8?q?x?=@example.com",
        "@",
        "<x@y>@z.test",
        "a@b@example.com",
        None,
    ],
)
def test_a_consent_whose_address_is_not_valid_creates_nothing(
    base_url: str,  # noqa: F811
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
    claim: str | None,
) -> None:
    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    started = start_consent(base_url, client, oauth_mail_server, app_id).json()
    oauth_provider.id_token_email = claim if claim is not None else ""
    try:
        back = follow_callback(consent_at_provider(started["authorization_url"]))
    finally:
        oauth_provider.id_token_email = None
    assert back["error_code"] == ["INVALID_EMAIL_CLAIM"], back
    assert "inbox_id" not in back
    assert inbox_count(client) == 0


@pytest.mark.parametrize(
    "uri",
    [
        "http://evil.example\\@127.0.0.1/x",
        "http://evil.example@127.0.0.1/x",
        "https://app.example/back#frag",
        "https://app.example /back",
        "http://127.1/x",
        "https://app.example:port/x",
    ],
)
def test_an_ambiguous_redirect_uri_is_refused(
    base_url: str,  # noqa: F811
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
    uri: str,
) -> None:
    client = workspace()
    app_id = register_app(client, oauth_provider, oauth_mail_server)
    refused = start_consent(base_url, client, oauth_mail_server, app_id, redirect_uri=uri)
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"] == ["body", "redirect_uri"]


def test_an_app_that_lists_its_redirect_uris_takes_only_those(
    base_url: str,  # noqa: F811
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
) -> None:
    client = workspace()
    listed = "http://127.0.0.1:9/mailboxes/connected"
    app_id = register_app(client, oauth_provider, oauth_mail_server, redirect_uris=[listed])
    other = start_consent(base_url, client, oauth_mail_server, app_id,
                          redirect_uri="https://app.example/back")  # fmt: skip
    assert other.status_code == 422, other.text
    assert "redirect_uris" in other.json()["detail"][0]["msg"]
    assert start_consent(base_url, client, oauth_mail_server, app_id,
                         redirect_uri=listed).status_code == 201  # fmt: skip
    bad_listing = client.call("POST", "/oauth-apps", {
        "provider": "google", "client_id": "c", "client_secret": "s",
        "redirect_uris": ["http://evil.example\\@127.0.0.1/"]})  # fmt: skip
    assert bad_listing.status == 422
    assert bad_listing.json()["detail"][0]["loc"] == ["body", "redirect_uris"]
