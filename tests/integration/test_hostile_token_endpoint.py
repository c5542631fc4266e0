"""A token endpoint that trickles a header line every two seconds: the token request has a
total deadline inside the operation that makes it (a connection, a check)."""

from __future__ import annotations

import time
from collections.abc import Callable

from local_stack.mail_server import MailServer
from tests.integration.conftest import OAUTH_CLIENT_ID, OAUTH_USER
from tests.integration.test_oauth_mailboxes import oauth_account, register_app
from tests.support.hostile_servers import trickling_token_endpoint
from tests.support.misbehaving_servers import misbehaving_server
from tests.support.oauth_server import OAuthProvider
from tests.support.stack import ApiClient

STEP_SECONDS = 2.0
DEADLINE_SECONDS = 5.0
SLACK_SECONDS = 4.0


def test_a_trickling_token_endpoint_is_cut_off_at_the_deadline(
    workspace: Callable[..., ApiClient],
    oauth_provider: OAuthProvider,
    oauth_mail_server: MailServer,
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("MAIL_STEP_TIMEOUT_SECONDS", str(STEP_SECONDS))
    settings_env("VALIDATION_DEADLINE_SECONDS", str(DEADLINE_SECONDS))
    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
    client = workspace()
    with misbehaving_server(trickling_token_endpoint) as port:
        app_id = register_app(
            client, oauth_provider, oauth_mail_server, token_url=f"http://127.0.0.1:{port}/token"
        )
        token = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID, expired=True)
        request = oauth_account(oauth_mail_server, app_id, token)
        started = time.monotonic()
        refused = client.call("POST", "/sender-accounts/oauth", request)
        elapsed = time.monotonic() - started
        assert refused.status == 400, refused.body
        body = refused.json()
        assert (body["stage"], body["error_code"]) == ("oauth", "TIMEOUT"), body
        assert elapsed < STEP_SECONDS + SLACK_SECONDS

        stored = client.call(
            "POST", "/sender-accounts/oauth", {**request, "on_validation_failure": "store"}
        )
        assert stored.status == 201, stored.body
        inbox_id = stored.json()["inbox_id"]
        started = time.monotonic()
        check = client.call("POST", f"/sender-accounts/{inbox_id}/check")
        elapsed = time.monotonic() - started
        assert check.status == 200, check.body
        assert check.json()["smtp"]["error_code"] == "TIMEOUT"
        assert elapsed < DEADLINE_SECONDS + SLACK_SECONDS
