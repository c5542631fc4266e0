"""The score's DNS factors against a real DNS server on loopback, and what a score change does
to the list: its health filter and order follow at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from local_stack.mail_server import MailServer
from local_stack.runtime import LocalRuntime
from tests.support.dns_server import Zone, dns_server, silent_dns_server
from tests.support.inboxes import create_inbox
from tests.support.stack import ApiClient

DKIM_KEY = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC3"


@pytest.fixture
def zone(settings_env: Callable[[str, str], None]) -> Iterator[Zone]:
    """good.test publishes everything a sender should; bare.test publishes nothing."""
    served = Zone()
    served.publish("good.test", "10 mx1.good.test.", rdtype="MX")
    served.publish("good.test", "v=spf1 include:_spf.good.test ~all")
    served.publish("_dmarc.good.test", "v=DMARC1; p=quarantine; rua=mailto:d@good.test")
    served.publish("mail._domainkey.good.test", DKIM_KEY)
    served.publish("open.test", "10 mx.open.test.", rdtype="MX")
    served.publish("open.test", "v=spf1 +all")
    with dns_server(served) as address:
        settings_env("DNS_NAMESERVERS", address)
        settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
        yield served


def check(client: ApiClient, inbox_id: str) -> dict[str, Any]:
    response = client.call("POST", f"/sender-accounts/{inbox_id}/check")
    assert response.status == 200, response.body
    return dict(response.json())


def factors(answer: dict[str, Any]) -> dict[str, bool | None]:
    return {f["factor"]: f["ok"] for f in answer["health_factors"]}


def test_a_well_configured_domain_scores_above_a_bare_one(
    runtime: LocalRuntime, mail_server: MailServer, workspace: Callable[..., ApiClient], zone: Zone
) -> None:
    client = workspace()
    good = create_inbox(client, mail_server, email_address="a@good.test", dkim_selector="mail",
                        daily_limit=20)  # fmt: skip
    bare = create_inbox(client, mail_server, email_address="a@bare.test", daily_limit=20)
    open_relay = create_inbox(client, mail_server, email_address="a@open.test", daily_limit=20)
    good_answer, bare_answer = check(client, good), check(client, bare)
    assert factors(good_answer) == {
        "SMTP": True, "IMAP": True, "FAILURES": True, "MX": True, "SPF": True, "DMARC": True,
        "DKIM": True, "DAILY_LIMIT": True,
    }  # fmt: skip
    assert good_answer["health_score"] == 100
    assert good_answer["dns"]["dmarc"]["detail"] == "DMARC policy quarantine"
    # bare.test: NXDOMAIN for every question is a missing record, not an unknown one
    bare_factors = factors(bare_answer)
    assert [bare_factors[n] for n in ("MX", "SPF", "DMARC")] == [False, False, False]
    assert bare_factors["DKIM"] is None  # no selector known for a custom provider
    assert bare_answer["health_score"] == round(100 * 65 / 95, 1)
    # SPF that passes every sender fails its factor
    open_answer = check(client, open_relay)
    assert factors(open_answer)["SPF"] is False
    assert "+all" in open_answer["dns"]["spf"]["detail"]
    assert zone.queries >= 9


def test_a_dead_resolver_leaves_dns_unknown_not_failed(
    runtime: LocalRuntime,
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    client = workspace()
    inbox_id = create_inbox(client, mail_server, email_address="a@good.test", daily_limit=20)
    with silent_dns_server() as address:
        settings_env("DNS_NAMESERVERS", address)
        answer = check(client, inbox_id)
    dns_factors = factors(answer)
    assert [dns_factors[n] for n in ("MX", "SPF", "DMARC")] == [None, None, None]
    # Only the known factors count: every one of them holds
    assert answer["health_score"] == 100
    assert answer["overall_status"] == "ACTIVE"
    assert answer["consecutive_failures"] == 0


def test_the_list_filters_and_sorts_by_the_checked_score(
    runtime: LocalRuntime, mail_server: MailServer, workspace: Callable[..., ApiClient], zone: Zone
) -> None:
    client = workspace()
    good = create_inbox(client, mail_server, email_address="b@good.test", dkim_selector="mail",
                        daily_limit=20)  # fmt: skip
    bare = create_inbox(client, mail_server, email_address="b@bare.test", daily_limit=20)
    # Before any check both read 100 (validated at creation)
    below = client.call("GET", "/sender-accounts", query={"health_below": 80}).json()
    assert below["pagination"]["total"] == 0
    check(client, good)
    check(client, bare)
    below = client.call("GET", "/sender-accounts", query={"health_below": 80}).json()
    assert [a["inbox_id"] for a in below["sender_accounts"]] == [bare]
    assert below["pagination"]["total"] == 1
    ordered = client.call(
        "GET", "/sender-accounts", query={"sort_by": "health_score", "sort_order": "asc"}
    ).json()
    assert [a["inbox_id"] for a in ordered["sender_accounts"]] == [bare, good]
    assert ordered["sender_accounts"][0]["health_score"] < 80
