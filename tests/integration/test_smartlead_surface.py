"""SmartLead's email-account API over the same inboxes, called as SmartLead's clients call it:
the key in `api_key`, SmartLead's paths, fields, string booleans and numeric strings, form
bodies, both slash forms; an inbox made through one surface is managed through the other."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import boto3

from local_stack.mail_server import MailServer
from local_stack.runtime import LocalRuntime
from tests.support.smartlead import SmartLeadClient, smartlead_account
from tests.support.stack import MAILBOX_PASSWORD, MAILBOX_USER, ApiClient, smtp_account

NOT_SERVED = {"host": "127.0.0.1", "port": 9}  # nothing listens: the logins fail at once


def _saved(client: SmartLeadClient, body: dict[str, Any], form: bool = False) -> dict[str, Any]:
    response = client.call("POST", "/email-accounts/save", body, form=form)
    assert response.status == 200, response.body
    answer = dict(response.json())
    assert answer["ok"] is True
    assert answer["id"] == answer["emailAccountId"] == answer["data"]["id"]
    return answer


def _failing(address: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "from_name": "Failing", "from_email": address, "user_name": address,
        "password": "Failing-password-9", "smtp_host": NOT_SERVED["host"],
        "smtp_port": NOT_SERVED["port"], "imap_host": NOT_SERVED["host"],
        "imap_port": NOT_SERVED["port"], "warmup_enabled": False,
    }  # fmt: skip
    body.update(overrides)
    return body


def test_save_validates_for_real_and_the_account_reads_as_smartlead_shows_it(
    workspace: Callable[..., ApiClient], mail_server: MailServer
) -> None:
    coldsend = workspace()
    client = SmartLeadClient(coldsend)
    body = smartlead_account(
        mail_server, MAILBOX_USER, MAILBOX_PASSWORD, client_id="42", signature="Best,\nAnn",
        bcc="archive@acme.test", time_to_wait_in_mins="7", warmup_enabled="true",
        total_warmup_per_day="12", daily_rampup=3, reply_rate_percentage="30",
    )  # fmt: skip
    saved = _saved(client, body)
    assert saved["data"]["is_smtp_success"] is True
    assert saved["data"]["is_imap_success"] is True
    assert saved["warmupKey"]
    assert saved["data"]["warmup_details"]["status"] == "ACTIVE"
    account_id = saved["id"]

    for path in (f"/email-accounts/{account_id}", f"/email-accounts/{account_id}/"):
        got = client.call("GET", path, query={"fetch_campaigns": "true", "fetch_tags": "true"})
        assert got.status == 200, got.body
        account = got.json()
        assert MAILBOX_PASSWORD not in got.body.decode()
        assert account["id"] == account_id
        assert (account["from_email"], account["username"]) == (MAILBOX_USER, MAILBOX_USER)
        assert (account["type"], account["connection_status"]) == ("SMTP", "CONNECTED")
        assert account["smtp_port"] == mail_server.submission_starttls_port
        assert account["max_email_per_day"] == account["message_per_day"] == 40
        assert (account["client_id"], account["minTimeToWaitInMins"]) == (42, 7)
        assert (account["bcc_email"], account["signature"]) == ("archive@acme.test", "Best,\nAnn")
        assert (account["warmup_enabled"], account["total_warmup_per_day"]) == (True, 12)
        assert account["daily_rampup"] == 3
        assert account["warmup_details"]["reply_rate"] == 30
        assert account["warmup_details"]["warmup_reputation"] == "100%"
        assert (account["campaign_ids"], account["tags"], account["campaign_count"]) == ([], [], 0)
        assert "password" not in account
        assert "imap_password" not in account

    # ColdSend's surface reads the same inbox, its integer id included.
    listed = coldsend.call("GET", "/sender-accounts").json()["sender_accounts"]
    inbox_id = listed[0]["inbox_id"]
    detail = coldsend.call("GET", f"/sender-accounts/{inbox_id}").json()
    assert detail["account_id"] == account_id
    assert detail["warmup"]["emails_per_day"] == 12
    assert detail["client_id"] == "42"


def test_a_failed_validation_is_stored_with_its_errors_as_smartlead_does(
    workspace: Callable[..., ApiClient],
) -> None:
    client = SmartLeadClient(workspace())
    saved = _saved(client, _failing("failing@acme.test"))
    assert saved["data"]["is_smtp_success"] is False
    assert saved["data"]["is_imap_success"] is False
    account = client.call("GET", f"/email-accounts/{saved['id']}").json()
    assert account["connection_status"] == "DISCONNECTED"
    assert "SMTP connection failed" in account["smtp_failure_error"]
    assert "IMAP connection failed" in account["imap_failure_error"]
    failed = client.call("GET", "/email-accounts/", query={"isSmtpSuccess": "false"}).json()
    assert [a["id"] for a in failed] == [saved["id"]]
    assert client.call("GET", "/email-accounts", query={"isSmtpSuccess": "true"}).json() == []


def test_upsert_by_id_form_bodies_and_updates_through_post_and_patch(
    workspace: Callable[..., ApiClient],
) -> None:
    coldsend = workspace()
    client = SmartLeadClient(coldsend)
    saved = _saved(client, _failing("form@acme.test", max_email_per_day="25"), form=True)
    account_id = saved["id"]
    # A save with `id` updates that account: no second account appears.
    again = _saved(client, {"id": str(account_id), "from_name": "Renamed", "client_id": 7})
    assert again["id"] == account_id
    assert again["message"] == "Email account updated successfully!"
    accounts = client.call("GET", "/email-accounts").json()
    assert [(a["id"], a["from_name"], a["client_id"]) for a in accounts] == [
        (account_id, "Renamed", 7)
    ]
    assert accounts[0]["max_email_per_day"] == 25
    # A DISABLED account (its logins failed) is not paused: the same rule as ColdSend's PATCH.
    refused = client.call("PUT", f"/email-accounts/suspend/{account_id}")
    assert refused.status == 400
    assert "DISABLED" in refused.json()["message"]
    for method, path, limit in (("POST", f"/email-accounts/{account_id}", 30),
                                ("PATCH", f"/email-accounts/{account_id}/", "31")):  # fmt: skip
        changed = client.call(method, path, {"max_email_per_day": limit, "bcc": "b@acme.test"})
        assert changed.status == 200, changed.body
        assert changed.json() == {"ok": True, "message": "Email account updated successfully!"}
        account = client.call("GET", f"/email-accounts/{account_id}").json()
        assert (account["max_email_per_day"], account["bcc_email"]) == (int(limit), "b@acme.test")
    # A bad field is a 422 naming SmartLead's field, with SmartLead's message and error.
    bad = client.call("POST", f"/email-accounts/{account_id}", {"max_email_per_day": "many"})
    assert bad.status == 422, bad.body
    problem = bad.json()
    assert problem["ok"] is False
    assert "max_email_per_day" in problem["message"]
    assert isinstance(problem["error"], str)


def test_list_pages_by_offset_and_refuses_limit_101(workspace: Callable[..., ApiClient]) -> None:
    client = SmartLeadClient(workspace())
    ids = [_saved(client, _failing(f"page{i}@acme.test"))["id"] for i in range(5)]
    # Oldest first (accounts made in the same second in a stable order of their own).
    order = [a["id"] for a in client.call("GET", "/email-accounts").json()]
    assert sorted(order) == ids
    for offset, limit in ((0, 2), (2, 2), (4, 2), (1, 3), (5, 2)):
        page = client.call("GET", "/email-accounts/", query={"offset": offset, "limit": limit})
        assert [a["id"] for a in page.json()] == order[offset : offset + limit]
    found = client.call("GET", "/email-accounts", query={"username": "PAGE3"}).json()
    assert [a["id"] for a in found] == [ids[3]]
    assert client.call("GET", "/email-accounts", query={"esp": "GMAIL"}).json() == []
    too_many = client.call("GET", "/email-accounts", query={"limit": 101})
    assert too_many.status == 422
    assert "limit" in too_many.json()["message"]
    assert "100" in too_many.json()["message"]
    # A filter breaking the text rules is the caller's error, named, never a 500
    for field in ("client_id", "username"):
        odd = client.call("GET", "/email-accounts", query={field: "a\x88b"})
        assert odd.status == 422, odd.body
        assert field in odd.json()["message"]


def test_one_inbox_two_surfaces_and_tenancy_across_both(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], mail_server: MailServer
) -> None:
    mine, theirs = workspace(), workspace()
    client, stranger = SmartLeadClient(mine), SmartLeadClient(theirs)
    # Made through SmartLead's surface: read, paused and deleted through ColdSend's.
    saved = _saved(client, smartlead_account(mail_server, MAILBOX_USER, MAILBOX_PASSWORD))
    inbox_id = mine.call("GET", "/sender-accounts").json()["sender_accounts"][0]["inbox_id"]
    paused = mine.call("PATCH", f"/sender-accounts/{inbox_id}", {"status": "PAUSED"})
    assert paused.status == 200, paused.body
    assert client.call("GET", f"/email-accounts/{saved['id']}").json()["is_suspended"] is True
    # Another workspace sees none of it, on any route, under either surface.
    for method, path, body in (
        ("GET", f"/email-accounts/{saved['id']}", None),
        ("POST", f"/email-accounts/{saved['id']}", {"from_name": "Taken"}),
        ("PATCH", f"/email-accounts/{saved['id']}", {"from_name": "Taken"}),
        ("DELETE", f"/email-accounts/{saved['id']}", None),
        ("POST", f"/email-accounts/{saved['id']}/warmup", {"warmup_enabled": True}),
        ("GET", f"/email-accounts/{saved['id']}/warmup-stats", None),
        ("POST", "/email-accounts/save", {"id": saved["id"], "from_name": "Taken"}),
    ):
        refused = stranger.call(method, path, body)
        assert refused.status == 404, (method, path, refused.body)
        answer = refused.json()
        assert (answer["ok"], answer["errorCode"]) == (False, "ACCOUNT_NOT_FOUND")
        assert answer["message"] == "Email account not found!"
    for method, path in (("PUT", "suspend"), ("DELETE", "unsuspend")):
        refused = stranger.call(method, f"/email-accounts/{path}/{saved['id']}")
        assert refused.status == 400, refused.body
    assert stranger.call("GET", "/email-accounts").json() == []
    assert theirs.call("GET", f"/sender-accounts/{inbox_id}").status == 404
    resumed = client.call("DELETE", f"/email-accounts/unsuspend/{saved['id']}")
    assert resumed.status == 200, resumed.body
    assert resumed.json()["data"] == {"accountId": saved["id"], "isSuspended": False}
    assert mine.call("GET", f"/sender-accounts/{inbox_id}").json()["overall_status"] == "ACTIVE"
    assert mine.call("DELETE", f"/sender-accounts/{inbox_id}").status == 200
    gone = client.call("DELETE", f"/email-accounts/{saved['id']}")
    assert gone.status == 404
    assert gone.json()["emailAccountId"] == saved["id"]

    # Made through ColdSend's surface: renamed, suspended and deleted through SmartLead's.
    created = mine.call("POST", "/sender-accounts/smtp", smtp_account(mail_server))
    assert created.status == 201, created.body
    detail = mine.call("GET", f"/sender-accounts/{created.json()['inbox_id']}").json()
    account_id = detail["account_id"]
    assert (
        client.call("POST", f"/email-accounts/{account_id}", {"from_name": "Via SL"}).status == 200
    )
    suspended = client.call("PUT", f"/email-accounts/suspend/{account_id}")
    assert suspended.status == 200, suspended.body
    seen = mine.call("GET", f"/sender-accounts/{detail['inbox_id']}").json()
    assert (seen["display_name"], seen["overall_status"]) == ("Via SL", "PAUSED")
    deleted = client.call("DELETE", f"/email-accounts/{account_id}/")
    assert deleted.json() == {
        "ok": True,
        "message": "Email account deleted successfully!",
        "emailAccountId": account_id,
    }
    assert mine.call("GET", f"/sender-accounts/{detail['inbox_id']}").status == 404


def test_keys_errors_and_routes_outside_the_surface(workspace: Callable[..., ApiClient]) -> None:
    coldsend = workspace()
    client = SmartLeadClient(coldsend)
    for key in ("", "cs_test_unknownUnknownUnknownUnknown000000000"):
        refused = client.call("GET", "/email-accounts", key=key)
        assert refused.status == 401
        body = refused.json()
        assert isinstance(body["message"], str)
        assert isinstance(body["error"], str)
    # The header works too, as on ColdSend's surface.
    header = coldsend.runtime.gateway.handle(
        "GET", "/api/v1/email-accounts", {}, {"X-API-Key": [coldsend.api_key]}, None
    )
    assert header.status == 200
    assert header.json() == []
    missing = client.call("PUT", "/email-accounts/suspend/999999999")
    assert missing.status == 400
    assert missing.json()["success"] is False
    assert missing.json()["message"] == "Email account not found or does not belong to you"
    campaigns = client.call("GET", "/campaigns/7/email-accounts")
    assert campaigns.status == 404
    assert "campaign routes are not part of it" in campaigns.json()["message"]


def test_warmup_settings_reach_the_engine(workspace: Callable[..., ApiClient]) -> None:
    coldsend = workspace()
    client = SmartLeadClient(coldsend)
    account_id = _saved(client, _failing("warm@acme.test"))["id"]
    set_up = client.call("POST", f"/email-accounts/{account_id}/warmup", {
        "warmup_enabled": "true", "total_warmup_per_day": "9", "daily_rampup": 2,
        "reply_rate_percentage": "40", "is_rampup_enabled": "false",
    })  # fmt: skip
    assert set_up.status == 200, set_up.body
    inbox_id = coldsend.call("GET", "/sender-accounts").json()["sender_accounts"][0]["inbox_id"]
    report = coldsend.call("GET", f"/sender-accounts/{inbox_id}/warmup").json()
    assert report["settings"] == {
        "enabled": True, "emails_per_day": 9, "daily_rampup": 2, "reply_rate_percentage": 40,
        "is_rampup_enabled": False,
    }  # fmt: skip
    stats = client.call("GET", f"/email-accounts/{account_id}/warmup-stats").json()
    assert stats["id"] == account_id
    assert (stats["sent_count"], stats["spam_count"], stats["stats_by_date"]) == ("0", "0", [])
    missing = client.call("POST", f"/email-accounts/{account_id}/warmup", {"daily_rampup": 2})
    assert missing.status == 422
    assert "warmup_enabled" in missing.json()["message"]


def test_no_api_key_from_a_query_string_is_stored_anywhere(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient]
) -> None:
    coldsend = workspace()
    client = SmartLeadClient(coldsend)
    saved = _saved(client, _failing("keyed@acme.test"))
    headers = {"Idempotency-Key": "replayed-save"}
    for _ in range(2):  # an idempotent replay keeps a record of the request
        coldsend.runtime.gateway.handle(
            "POST", "/api/v1/email-accounts/reconnect-failed-email-accounts",
            {"api_key": [coldsend.api_key]}, {k: [v] for k, v in headers.items()}, b"{}",
        )  # fmt: skip
    client.call("GET", f"/email-accounts/{saved['id']}/warmup-stats")
    db = boto3.client("dynamodb")
    for table in db.list_tables()["TableNames"]:
        for page in db.get_paginator("scan").paginate(TableName=table):
            assert coldsend.api_key not in str(page["Items"]), table
    assert os.environ.get("TABLE_NAME")


def test_rate_limit_answers_429_in_smartleads_shape_with_headers(
    workspace: Callable[..., ApiClient], settings_env: Callable[[str, str], None]
) -> None:
    settings_env("RATE_LIMIT_PER_MINUTE", "2")
    client = SmartLeadClient(workspace())
    into_minute = time.time() % 60
    if into_minute > 45:  # three calls in one fixed minute
        time.sleep(60 - into_minute + 0.1)
    answers = [client.call("GET", "/email-accounts") for _ in range(3)]
    assert [a.status for a in answers] == [200, 200, 429]
    limited = answers[2]
    assert limited.headers["X-RateLimit-Limit"] == "2"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert int(limited.headers["X-RateLimit-Reset"]) > 0
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    body = limited.json()
    assert (body["ok"], body["error_code"]) == (False, "RATE_LIMITED")
    assert isinstance(body["message"], str)
    assert isinstance(body["error"], str)
