"""Warm-up for an OAuth2 mailbox: it sends over XOAUTH2 and its mailbox is looked at over
XOAUTH2, against a Dovecot that delivers between its mailboxes and asks a real OAuth2 provider
on loopback about every token."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from local_stack.mail_delivery import Delivery
from local_stack.mail_server import MailServer, start_mail_server
from local_stack.pki import ServerPki
from local_stack.runtime import LocalRuntime
from tests.integration.conftest import OAUTH_CLIENT_ID, OAUTH_USER
from tests.integration.test_oauth_mailboxes import oauth_account, register_app
from tests.support.mail_servers import oauth2_options
from tests.support.oauth_server import OAuthProvider
from tests.support.secret_scan import SCAN
from tests.support.stack import ApiClient
from tests.support.warmup_store import (
    invoke_function,
    member_account,
    queue_event,
    require_delivery,
    stored_mail,
    table_items,
)

PASSWORD = "Oauth-warmup-peer-pw-5"
SCAN.register(PASSWORD)
PEER = "peer@beta.test"


@pytest.fixture
def server(
    pki: ServerPki, mail_server: MailServer, oauth_provider: OAuthProvider
) -> Iterator[MailServer]:
    require_delivery()
    options = dataclasses.replace(
        oauth2_options(f"{oauth_provider.issuer}/introspect"), delivery=Delivery()
    )
    started = start_mail_server(
        pki, {OAUTH_USER: "unused-password", PEER: PASSWORD}, options=options
    )
    yield started
    started.stop()


def test_an_oauth2_member_sends_and_is_looked_at_over_xoauth2(
    runtime: LocalRuntime,
    workspace: Callable[..., ApiClient],
    server: MailServer,
    oauth_provider: OAuthProvider,
    settings_env: Callable[[str, str], None],
) -> None:
    settings_env("WARMUP_DAY_SECONDS", "3600")
    settings_env("WARMUP_MIN_DELAY_SECONDS", "0")
    client = workspace()
    warmup = {"enabled": True, "pool": "workspace", "reply_rate_percentage": 0, "start_per_day": 1}
    token = oauth_provider.issue(OAUTH_USER, OAUTH_CLIENT_ID)
    app_id = register_app(client, oauth_provider, server)
    body: dict[str, Any] = {**oauth_account(server, app_id, token), "warmup": warmup}
    peer_body = member_account(server, PEER, PASSWORD, 0, start_per_day=1)
    with runtime.scheduler.paused():  # this run of the planner plans both, not the schedule's
        created = client.call("POST", "/sender-accounts/oauth", body)
        assert created.status == 201, created.body
        oauth_id = created.json()["inbox_id"]
        peer = client.call("POST", "/sender-accounts/smtp", peer_body)
        assert peer.status == 201, peer.body
        assert invoke_function("WarmupPlannerFunction", {"detail": {}})["members_planned"] >= 2
    for message in [
        m for m in table_items("MSG#") if m["sender_id"] in (oauth_id, peer.json()["inbox_id"])
    ]:
        sent = invoke_function(
            "WarmupSendWorkerFunction", queue_event({"send_id": message["send_id"]})
        )
        assert sent == {"batchItemFailures": []}
    check = next(i for i in table_items("CHECK#") if oauth_id in i["pk"])
    slot = {"workspace_id": client.workspace_id, "inbox_id": oauth_id, "slot": check["sk"]}
    assert invoke_function("WarmupReceiveWorkerFunction", queue_event(slot)) == {
        "batchItemFailures": []
    }
    report = client.call("GET", f"/sender-accounts/{oauth_id}/warmup").json()
    assert (report["warmup_status"], report["sent"]) == ("ACTIVE", 1)
    assert report["daily"][0]["received"] == 1  # looked at over XOAUTH2, found, counted
    mail = stored_mail(server.root)
    assert {(m.sender, m.owner) for m in mail} == {(OAUTH_USER, PEER), (PEER, OAUTH_USER)}
    assert all("S" in m.flags and "F" in m.flags for m in mail if m.owner == OAUTH_USER)
    logins = (server.root / "dovecot.log").read_text()
    assert "method=XOAUTH2" in logins
