"""Workspace domains (SES identities) and managed inboxes on them."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from tests.support.stack import ApiClient


def _domain(client: ApiClient) -> dict[str, Any]:
    name = f"mail-{os.urandom(4).hex()}.example.test"
    response = client.call("POST", "/domains", {"domain": name})
    assert response.status == 201, response.body
    return dict(response.json())


def _native(client: ApiClient, domain_id: str, prefix: str) -> Any:
    body = {"domain_id": domain_id, "email_prefix": prefix, "display_name": "Native"}
    return client.call("POST", "/sender-accounts/coldsend-native", body)


def test_domain_becomes_active_with_its_dns_records(workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    domain = _domain(client)
    assert domain["status"] == "ACTIVE"  # the emulated SES verifies at once
    purposes = [r["purpose"] for r in domain["dns_records"]]
    assert purposes.count("DKIM") == 3
    assert {"SPF", "DMARC"} <= set(purposes)
    assert all(r["name"].endswith(domain["domain"]) for r in domain["dns_records"])
    one = client.call("GET", f"/domains/{domain['domain_id']}").json()
    assert one["domain"] == domain["domain"]
    listed = client.call("GET", "/domains").json()
    assert [d["domain_id"] for d in listed["domains"]] == [domain["domain_id"]]
    assert listed["pagination"]["total"] == 1


def test_native_inboxes_singly_and_in_bulk(workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    domain = _domain(client)
    created = _native(client, domain["domain_id"], "John.Smith")
    assert created.status == 201, created.body
    body = created.json()
    assert body["email_address"] == f"john.smith@{domain['domain']}"
    assert body["inbox_type"] == "COLDSEND"
    assert body["overall_status"] == "ACTIVE"
    bulk = client.call(
        "POST",
        "/sender-accounts/coldsend-native/bulk",
        {
            "domain_id": domain["domain_id"],
            "inboxes": [
                {"email_prefix": "sales", "display_name": "Sales"},
                {"email_prefix": "JOHN.SMITH", "display_name": "Again"},
                {"email_prefix": "team", "display_name": "Team"},
            ],
        },
    )
    assert bulk.status == 200, bulk.body
    result = bulk.json()
    assert (result["created_count"], result["failed_count"]) == (2, 1)
    assert [r["status"] for r in result["results"]] == ["SUCCESS", "FAILED", "SUCCESS"]
    assert result["results"][1]["error_code"] == "DUPLICATE"
    listed = client.call("GET", "/sender-accounts", query={"inbox_type": "COLDSEND"}).json()
    assert listed["pagination"]["total"] == 3
    detail = client.call("GET", f"/sender-accounts/{body['inbox_id']}").json()
    assert detail["inbox_type"] == "COLDSEND"
    sent = client.call(
        "POST",
        f"/sender-accounts/{body['inbox_id']}/test-email",
        {"recipient_email": "someone@example.test"},
    )
    assert sent.status == 200, sent.body


def test_bad_prefix_foreign_domain_inactive_domain_and_existing_address_change_nothing(
    workspace: Callable[..., ApiClient],
) -> None:
    from sender_accounts.adapters.aws_clients import client as aws

    mine, theirs = workspace(), workspace()
    domain, foreign = _domain(mine), _domain(theirs)
    bad = _native(mine, domain["domain_id"], "not a local part")
    assert bad.status == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "email_prefix"]
    assert _native(mine, foreign["domain_id"], "john").status == 404
    # An address that exists as an SMTP inbox
    smtp = {
        "email_address": f"sales@{domain['domain']}", "display_name": "S",
        "inbox_type": "CUSTOM_SMTP",
        "smtp_host": "localhost", "smtp_port": 1, "smtp_username": "u", "smtp_password": "p",
        "imap_host": "localhost", "imap_port": 2, "imap_username": "u", "imap_password": "p",
        "on_validation_failure": "store",
    }  # fmt: skip
    assert mine.call("POST", "/sender-accounts/smtp", smtp).status == 201
    duplicate = _native(mine, domain["domain_id"], "Sales")
    assert duplicate.status == 409
    assert duplicate.json()["error_code"] == "DUPLICATE"
    # A domain SES no longer reports as verified
    aws("ses").delete_identity(Identity=domain["domain"])
    inactive = _native(mine, domain["domain_id"], "fresh")
    assert inactive.status == 400
    assert inactive.json()["error_code"] == "DOMAIN_NOT_ACTIVE"
    assert mine.call("GET", f"/domains/{domain['domain_id']}").json()["status"] == "FAILED"
    assert mine.call("GET", "/sender-accounts").json()["pagination"]["total"] == 1


def test_domain_in_use_cannot_be_deleted(workspace: Callable[..., ApiClient]) -> None:
    client = workspace()
    domain = _domain(client)
    inbox_id = _native(client, domain["domain_id"], "john").json()["inbox_id"]
    refused = client.call("DELETE", f"/domains/{domain['domain_id']}")
    assert refused.status == 409
    assert refused.json()["error_code"] == "IN_USE"
    assert client.call("DELETE", f"/sender-accounts/{inbox_id}").status == 200
    deleted = client.call("DELETE", f"/domains/{domain['domain_id']}")
    assert deleted.status == 200, deleted.body
    assert client.call("GET", f"/domains/{domain['domain_id']}").status == 404


def test_domain_rules(workspace: Callable[..., ApiClient]) -> None:
    client, other = workspace(), workspace()
    domain = _domain(client)
    for name in ("Upper.Example.test", "no_underscores.test", "nodot", "-lead.test"):
        response = client.call("POST", "/domains", {"domain": name})
        assert response.status == 422, name
    again = client.call("POST", "/domains", {"domain": domain["domain"]})
    assert again.status == 409
    # Another workspace may register the name (nothing says it is taken) but cannot own it
    theirs = other.call("POST", "/domains", {"domain": domain["domain"]})
    assert theirs.status == 201
    assert theirs.json()["status"] == "PENDING"
    assert other.call("GET", f"/domains/{domain['domain_id']}").status == 404
    assert other.call("DELETE", f"/domains/{domain['domain_id']}").status == 404


def test_a_native_inbox_is_checked_through_its_domains_ses_status(
    workspace: Callable[..., ApiClient], settings_env: Callable[[str, str], None]
) -> None:
    from sender_accounts.adapters.aws_clients import client as aws

    settings_env("CHECK_MIN_INTERVAL_SECONDS", "0")
    client = workspace()
    domain = _domain(client)
    inbox_id = _native(client, domain["domain_id"], "monitored").json()["inbox_id"]
    verified = client.call("POST", f"/sender-accounts/{inbox_id}/check").json()
    factors = {f["factor"]: f for f in verified["health_factors"]}
    assert factors["SES_VERIFICATION"]["ok"] is True
    assert factors["SES_VERIFICATION"]["weight"] == 50
    assert "SMTP" not in factors
    assert "IMAP" not in factors
    assert verified["overall_status"] == "ACTIVE"
    assert verified["imap"] is None
    # SES stops verifying the domain: a definitive failure, the inbox is disabled at once
    aws("ses").delete_identity(Identity=domain["domain"])
    lost = client.call("POST", f"/sender-accounts/{inbox_id}/check").json()
    assert lost["overall_status"] == "DISABLED"
    assert lost["smtp"]["ok"] is False
    assert lost["consecutive_failures"] == 1
    assert lost["health_score"] < verified["health_score"]
