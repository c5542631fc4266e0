"""Webhooks against a real receiver on loopback: every delivery's signature verified with the
`standardwebhooks` library (not the product's code), retries with one webhook-id, a hanging
receiver, redirects, disabled endpoints, the outbound rule at registration and at delivery,
tenancy, scopes, and no secret anywhere it should not be."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from standardwebhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from local_stack.mail_server import MailServer
from local_stack.runtime import LocalRuntime
from tests.support.dns_server import Zone
from tests.support.inboxes import create_inbox
from tests.support.secret_scan import SCAN
from tests.support.stack import MAILBOX_PASSWORD, ApiClient
from tests.support.switch_proxy import switch_proxy
from tests.support.webhook_receiver import Receiver, start_receiver


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    started = start_receiver()
    yield started
    started.stop()


@pytest.fixture
def quick_retries(settings_env: Callable[[str, str], None]) -> None:
    settings_env("WEBHOOK_RETRY_SCHEDULE", "1,1,1")


def register(
    client: ApiClient, url: str, events: list[str] | None = None, **more: Any
) -> dict[str, Any]:
    response = client.call("POST", "/webhooks", {"url": url, "events": events or ["*"], **more})
    assert response.status == 201, response.body
    created = dict(response.json())
    SCAN.register(created["secret"])  # from here on, it must appear nowhere
    return created


def new_domain_event(client: ApiClient) -> str:
    """Something that puts an event on the bus: a domain registered (DomainStatusChanged)."""
    name = f"hooks-{time.monotonic_ns()}.example.test"
    assert client.call("POST", "/domains", {"domain": name}).status == 201
    return name


def about(receiver: Receiver, path: str, domain: str, count: int = 1) -> list[Any]:
    """The requests at `path` whose event names `domain`, once `count` arrived (or 30 s)."""
    deadline = time.monotonic() + 30
    while True:
        found = [r for r in receiver.at(path) if f'"domain":"{domain}"' in r.body]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def each_thrice(receiver: Receiver, path: str) -> dict[str, list[Any]]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        groups = receiver.of_message(path)
        if groups and all(len(g) >= 3 for g in groups.values()):
            break
        time.sleep(0.1)
    time.sleep(0.5)  # nothing more may follow
    return receiver.of_message(path)


def verified(secret: str, received: Any) -> dict[str, Any]:
    return dict(Verifier(secret).verify(received.body, received.headers))


def deliveries(client: ApiClient, webhook_id: str) -> list[dict[str, Any]]:
    response = client.call("GET", f"/webhooks/{webhook_id}/deliveries")
    assert response.status == 200, response.body
    return list(response.json()["deliveries"])


def settled_delivery(client: ApiClient, webhook_id: str, seconds: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = deliveries(client, webhook_id)
        if found and found[0]["status"] != "pending":
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no delivery settled: {deliveries(client, webhook_id)}")


def test_events_reach_the_receiver_signed_before_and_after_a_rotation(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver
) -> None:
    client = workspace()
    url = receiver.script("/signed")
    created = register(client, url, ["domain.status_changed"])
    assert created["secret"].startswith("whsec_")
    shown = client.call("GET", f"/webhooks/{created['webhook_id']}").json()
    assert "secret" not in shown
    assert shown["enabled"] is True
    # An event on the bus arrives, signed, with the product's headers
    domain = new_domain_event(client)
    first = about(receiver, "/signed", domain)
    assert first
    payload = verified(created["secret"], first[0])
    assert payload["type"] == "domain.status_changed"
    assert payload["data"]["domain"] == domain
    assert payload["data"]["workspace_id"] == client.workspace_id
    assert first[0].headers["content-type"] == "application/json"
    assert first[0].headers["user-agent"].startswith("sender-accounts-webhooks/")
    assert first[0].headers["webhook-id"].startswith("msg_")
    # A rotation: the new secret signs, and the old one still does beside it
    rotated = client.call("POST", f"/webhooks/{created['webhook_id']}/rotate-secret")
    assert rotated.status == 200, rotated.body
    new_secret = rotated.json()["secret"]
    SCAN.register(new_secret)
    assert new_secret != created["secret"]
    second = about(receiver, "/signed", new_domain_event(client))[0]
    assert verified(new_secret, second)["type"] == "domain.status_changed"
    assert verified(created["secret"], second)["type"] == "domain.status_changed"
    assert len(second.headers["webhook-signature"].split(" ")) == 2
    # A secret of another webhook verifies nothing
    other = register(client, receiver.script("/other"), ["bulk_job.completed"])
    with pytest.raises(WebhookVerificationError):
        verified(other["secret"], second)


def test_a_receiver_failing_twice_gets_the_event_three_times_with_one_id(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver,
    quick_retries: None,
) -> None:  # fmt: skip
    client = workspace()
    created = register(client, receiver.script("/flaky", 500, 500, 200))
    new_domain_event(client)
    # Every event of the domain (its registration makes several) comes three times, one id each
    by_message = each_thrice(receiver, "/flaky")
    got = next(iter(by_message.values()))
    assert len(got) == 3
    assert all(len(group) == 3 for group in by_message.values())
    assert [verified(created["secret"], r)["type"] for r in got] == ["domain.status_changed"] * 3
    assert len({r.body for r in got}) == 1  # the same event each time
    # Each attempt signed afresh; the retries waited about the schedule's second
    assert got[1].at - got[0].at >= 0.9
    assert got[2].at - got[1].at >= 0.9
    delivery = next(
        d for d in deliveries(client, created["webhook_id"])
        if d["message_id"] == got[0].headers["webhook-id"]
    )  # fmt: skip
    assert delivery["status"] == "succeeded"
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 500, 200]
    assert [a.get("error_class") for a in delivery["attempts"]] == ["HTTP_500", "HTTP_500", None]
    # Once it works again, the webhook is no longer failing
    assert client.call("GET", f"/webhooks/{created['webhook_id']}").json().get(
        "failing_since") is None  # fmt: skip


def test_retries_run_out_and_the_delivery_fails(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver,
    settings_env: Callable[[str, str], None],
) -> None:  # fmt: skip
    settings_env("WEBHOOK_RETRY_SCHEDULE", "1")
    client = workspace()
    created = register(client, receiver.script("/down", 503, 503, 503))
    new_domain_event(client)
    delivery = settled_delivery(client, created["webhook_id"])
    assert delivery["status"] == "failed"
    assert [a["status_code"] for a in delivery["attempts"]] == [503, 503]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not all(
        len(group) == 2 for group in receiver.of_message("/down").values()
    ):  # the registration's other events settle too
        time.sleep(0.2)
    time.sleep(1.5)  # and nothing more follows
    assert all(len(group) == 2 for group in receiver.of_message("/down").values())
    shown = client.call("GET", f"/webhooks/{created['webhook_id']}").json()
    assert shown["failing_since"]
    assert shown["enabled"] is True


def test_a_hanging_receiver_costs_ten_seconds_and_is_retried(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver,
    quick_retries: None,
) -> None:  # fmt: skip
    client = workspace()
    created = register(client, receiver.script("/hang", "hang", 200))
    new_domain_event(client)
    delivery = settled_delivery(client, created["webhook_id"], seconds=40)
    first, second = delivery["attempts"]
    assert first["error_class"] == "TIMEOUT"
    assert first.get("status_code") is None
    assert 9_500 <= first["latency_ms"] <= 12_000
    assert second["status_code"] == 200
    assert delivery["status"] == "succeeded"


def test_a_redirect_is_an_answer_never_followed(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver
) -> None:
    client = workspace()
    created = register(client, receiver.script("/moved", "redirect"))
    answer = client.call("POST", f"/webhooks/{created['webhook_id']}/test")
    assert answer.status == 200, answer.body
    attempt = answer.json()["attempts"][0]
    assert attempt["status_code"] == 307
    assert attempt["error_class"] == "REDIRECT_NOT_FOLLOWED"
    time.sleep(0.5)
    assert receiver.at("/redirected") == []
    assert len(receiver.at("/moved")) == 1


def test_an_endpoint_failing_again_keeps_when_it_started_failing(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver
) -> None:
    client = workspace()
    created = register(client, receiver.script("/down", 503, 503))
    first = client.call("POST", f"/webhooks/{created['webhook_id']}/test")
    assert first.status == 200, first.body
    since = client.call("GET", f"/webhooks/{created['webhook_id']}").json()["failing_since"]
    assert since
    # The second failure finds the endpoint already failing: it answers, and the time stays
    again = client.call(
        "POST", f"/webhooks/{created['webhook_id']}/deliveries/{first.json()['delivery_id']}/retry"
    )
    assert again.status == 200, again.body
    assert [a["status_code"] for a in again.json()["attempts"]] == [503, 503]
    shown = client.call("GET", f"/webhooks/{created['webhook_id']}").json()
    assert shown["failing_since"] == since


def test_the_test_event_and_a_big_answer_kept_to_one_kib(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver
) -> None:
    client = workspace()
    created = register(client, receiver.script("/probe", 299), ["sender_account.created"])
    answer = client.call("POST", f"/webhooks/{created['webhook_id']}/test").json()
    assert answer["event_type"] == "webhook.test"
    assert answer["status"] == "succeeded"
    assert len(answer["attempts"][0]["response_excerpt"]) == 1024
    payload = verified(created["secret"], receiver.at("/probe")[0])
    assert payload["type"] == "webhook.test"
    # The delivery is listed, and can be sent again with the same webhook-id
    retried = client.call(
        "POST", f"/webhooks/{created['webhook_id']}/deliveries/{answer['delivery_id']}/retry"
    )
    assert retried.status == 200, retried.body
    assert len(retried.json()["attempts"]) == 2
    got = receiver.wait_for("/probe", 2)
    assert got[0].headers["webhook-id"] == got[1].headers["webhook-id"]


def test_a_disabled_endpoint_receives_nothing_and_410_disables(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver
) -> None:
    client = workspace()
    off = register(client, receiver.script("/off"), enabled=False)
    gone = register(client, receiver.script("/gone", 410))
    on = register(client, receiver.script("/on"))
    domain = new_domain_event(client)
    assert about(receiver, "/on", domain)
    assert verified(on["secret"], receiver.at("/on")[0])["type"] == "domain.status_changed"
    time.sleep(1.0)
    assert receiver.at("/off") == []
    assert client.call("POST", f"/webhooks/{off['webhook_id']}/test").status == 409
    # 410: the endpoint is gone, so the webhook is turned off and nothing more is sent
    assert receiver.wait_for("/gone", 1)  # the events in flight may each get there once
    deadline = time.monotonic() + 10
    while client.call("GET", f"/webhooks/{gone['webhook_id']}").json()["enabled"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    shown = client.call("GET", f"/webhooks/{gone['webhook_id']}").json()
    assert shown["disabled_reason"] == "GONE"
    time.sleep(1.0)  # what was in flight when it was turned off
    before = len(receiver.at("/gone"))
    later = new_domain_event(client)
    assert about(receiver, "/on", later)
    time.sleep(1.0)
    assert len(receiver.at("/gone")) == before


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://10.0.0.5/hook", "not publicly routable"),
        ("http://169.254.169.254/latest/meta-data", "not publicly routable"),
        ("http://[64:ff9b::a9fe:a9fe]/hook", "not publicly routable"),  # NAT64 of the metadata
        ("http://[::ffff:10.0.0.1]/hook", "not publicly routable"),
        ("http://[fd00::1]/hook", "not publicly routable"),
        ("https://user:secret@hooks.example.com/x", "credentials"),
        ("ftp://hooks.example.com/x", "https"),
        ("https://nowhere.invalid/x", "could not be resolved"),
    ],
)
def test_a_url_off_the_outbound_rule_is_refused_and_nothing_stored(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], zone: Zone, url: str, says: str
) -> None:
    client = workspace()
    response = client.call("POST", "/webhooks", {"url": url, "events": ["*"]})
    assert response.status == 422, response.body
    body = response.json()
    assert "url" in json.dumps(body.get("errors") or body.get("field") or body)
    assert says in response.body.decode()
    assert client.call("GET", "/webhooks").json()["webhooks"] == []


def test_a_name_that_later_resolves_elsewhere_is_refused_at_delivery(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver, zone: Zone
) -> None:
    client = workspace()
    port = receiver.base_url.rsplit(":", 1)[1]
    zone.publish("hooks.acme.test", "127.0.0.1", "A")
    created = register(client, f"http://hooks.acme.test:{port}/rebound")
    assert client.call("POST", f"/webhooks/{created['webhook_id']}/test").json()["status"] == (
        "succeeded"
    )
    # DNS rebinding: the same name now names the metadata service
    zone.records[("hooks.acme.test", "A")] = ["169.254.169.254"]
    answer = client.call("POST", f"/webhooks/{created['webhook_id']}/test").json()
    assert answer["attempts"][0]["error_class"] == "ADDRESS_REFUSED"
    assert answer["status"] == "failed"
    assert len(receiver.at("/rebound")) == 1
    # And a PATCH to a refused address changes nothing
    patched = client.call(
        "PATCH", f"/webhooks/{created['webhook_id']}", {"url": "http://169.254.169.254/x"}
    )
    assert patched.status == 422
    assert client.call("GET", f"/webhooks/{created['webhook_id']}").json()["url"].endswith(
        "/rebound")  # fmt: skip


def test_workspaces_see_and_receive_only_their_own(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver
) -> None:
    mine, theirs = workspace(), workspace()
    created = register(mine, receiver.script("/mine"))
    register(theirs, receiver.script("/theirs"))
    webhook = f"/webhooks/{created['webhook_id']}"
    for method, path, body in [
        ("GET", webhook, None), ("PATCH", webhook, {"enabled": False}),
        ("POST", f"{webhook}/test", None), ("POST", f"{webhook}/rotate-secret", None),
        ("GET", f"{webhook}/deliveries", None), ("DELETE", webhook, None),
    ]:  # fmt: skip
        assert theirs.call(method, path, body).status == 404, (method, path)
    listed = [w["webhook_id"] for w in theirs.call("GET", "/webhooks").json()["webhooks"]]
    assert len(listed) == 1
    assert created["webhook_id"] not in listed
    assert about(receiver, "/theirs", new_domain_event(theirs))
    time.sleep(1.0)
    assert receiver.at("/mine") == []
    # Read scope reads, and only write scope changes
    reader = workspace(scopes=("sender_accounts:read",))
    assert reader.call("GET", "/webhooks").status == 200
    refused = reader.call("POST", "/webhooks", {"url": receiver.base_url + "/r", "events": ["*"]})
    assert refused.status == 403


def test_unknown_events_and_fields_are_named(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver
) -> None:
    client = workspace()
    response = client.call("POST", "/webhooks", {"url": receiver.base_url, "events": ["nope"]})
    assert response.status == 422
    assert "events" in response.body.decode()
    created = register(client, receiver.script("/fields"))
    patched = client.call("PATCH", f"/webhooks/{created['webhook_id']}", {"secret": "x" * 10})
    assert patched.status == 422
    assert "secret" in patched.body.decode()
    assert client.call("DELETE", f"/webhooks/{created['webhook_id']}").status == 200
    assert client.call("GET", f"/webhooks/{created['webhook_id']}").status == 404


def test_no_secret_is_stored_in_the_clear(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver
) -> None:
    client = workspace()
    created = register(client, receiver.script("/stored"))
    client.call("POST", f"/webhooks/{created['webhook_id']}/test")
    key_part = created["secret"].removeprefix("whsec_")
    table = runtime.stack.function_environment("CreateWebhookFunction")["TABLE_NAME"]
    items = boto3.client("dynamodb").scan(TableName=table)["Items"]
    dumped = json.dumps(items, default=str)
    assert created["webhook_id"] in dumped
    assert key_part not in dumped
    assert created["secret"] not in dumped


def test_a_disconnect_found_by_health_checks_arrives_once_per_transition(
    runtime: LocalRuntime, workspace: Callable[..., ApiClient], receiver: Receiver,
    mail_server: MailServer, settings_env: Callable[[str, str], None],
) -> None:  # fmt: skip
    settings_env("MAIL_STEP_TIMEOUT_SECONDS", "1")
    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
    client = workspace()
    events = ["sender_account.disconnected", "sender_account.reconnected"]
    standard = register(client, receiver.script("/health"), events)
    register(client, receiver.script("/smartlead"), ["sender_account.disconnected"],
             format="smartlead")  # fmt: skip
    with (
        switch_proxy(mail_server.submission_starttls_port) as smtp,
        switch_proxy(mail_server.imaps_port) as imap,
    ):
        inbox_id = create_inbox(client, mail_server, smtp_port=smtp.port, imap_port=imap.port)
        smtp.answering = imap.answering = False
        for _ in range(4):  # the third disables; the fourth finds it still down
            client.call("POST", f"/sender-accounts/{inbox_id}/check")
        smtp.answering = imap.answering = True
        assert client.call("POST", f"/sender-accounts/{inbox_id}/check").json()[
            "overall_status"] == "ACTIVE"  # fmt: skip
    got = receiver.wait_for("/health", 2)
    time.sleep(1.0)  # nothing more follows
    got = receiver.at("/health")
    types = [verified(standard["secret"], r)["type"] for r in got]
    assert sorted(types) == ["sender_account.disconnected", "sender_account.reconnected"]
    disconnected = next(
        verified(standard["secret"], r) for r in got if "disconnected" in r.body
    )  # fmt: skip
    assert disconnected["data"]["inbox_id"] == inbox_id
    assert disconnected["data"]["error_code"] == "TIMEOUT"
    # SmartLead's own payload, with the integer id its clients know the account by
    smartlead = receiver.wait_for("/smartlead", 1)
    assert len(smartlead) == 1
    body = json.loads(smartlead[0].body)
    account_id = client.call("GET", f"/sender-accounts/{inbox_id}").json()["account_id"]
    assert body["eventType"] == "EMAIL_ACCOUNT_DISCONNECTED"
    assert body["accountId"] == account_id
    assert body["email"] == disconnected["data"]["email_address"]
    assert body["error"]
    assert MAILBOX_PASSWORD not in smartlead[0].body
