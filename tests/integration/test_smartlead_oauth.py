"""SmartLead's save-oauth against the real OAuth2 provider and Dovecot of the OAuth tests: the
token object is refreshed through the workspace's app for the provider and validated at that
app's mail hosts; without such an app, a 422 names it."""

from __future__ import annotations

from collections.abc import Callable

from local_stack.mail_server import MailServer
from tests.integration.conftest import OAUTH_CLIENT_ID, OAUTH_USER
from tests.integration.test_oauth_mailboxes import register_app
from tests.support.oauth_server import OAuthProvider
from tests.support.smartlead import SmartLeadClient
from tests.support.stack import ApiClient


def test_save_oauth_connects_through_the_workspaces_app(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
) -> None:
    coldsend = workspace()
    client = SmartLeadClient(coldsend)
    token = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID)
    body = {
        "from_name": "OAuth Sender",
        "from_email": OAUTH_USER,
        "type": "gmail",
        "token": {**token, "scope": "https://mail.google.com/", "token_type": "Bearer"},
        "warmup_enabled": "false",
        "max_email_per_day": "60",
    }
    # No Google app in the workspace yet: the field is named and nothing is stored.
    refused = client.call("POST", "/email-accounts/save-oauth", body)
    assert refused.status == 422, refused.body
    assert "google OAuth app" in refused.json()["message"]
    assert client.call("GET", "/email-accounts").json() == []

    app_id = register_app(coldsend, oauth_provider, oauth_mail_server)
    saved = client.call("POST", "/email-accounts/save-oauth", body)
    assert saved.status == 200, saved.body
    answer = saved.json()
    assert answer["data"]["is_smtp_success"] is True
    assert answer["data"]["is_imap_success"] is True
    text = saved.body.decode()
    assert token["access_token"] not in text
    assert token["refresh_token"] not in text
    account = client.call("GET", f"/email-accounts/{answer['id']}").json()
    assert (account["type"], account["from_email"], account["max_email_per_day"]) == (
        "GMAIL", OAUTH_USER, 60,
    )  # fmt: skip
    assert account["connection_status"] == "CONNECTED"
    assert account["smtp_port"] == oauth_mail_server.submission_starttls_port
    # ColdSend's surface shows the same OAuth2 inbox on the workspace's app.
    listed = coldsend.call("GET", "/sender-accounts").json()["sender_accounts"]
    detail = coldsend.call("GET", f"/sender-accounts/{listed[0]['inbox_id']}").json()
    assert (detail["auth_type"], detail["oauth_app_id"]) == ("OAUTH2", app_id)
    assert detail["account_id"] == answer["id"]
