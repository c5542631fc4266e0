"""Domain squatting: a name belongs to the first workspace whose token is seen in its DNS,
served here by a real DNS server on loopback. A pending registration blocks nobody, tells
nobody the name is registered elsewhere, and expires."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from tests.support.dns_server import Zone, silent_dns_server
from tests.support.stack import ApiClient


def _name() -> str:
    return f"brand-{os.urandom(4).hex()}.example.test"


def _register(client: ApiClient, name: str) -> dict[str, Any]:
    response = client.call("POST", "/domains", {"domain": name})
    assert response.status == 201, response.body
    return dict(response.json())


def _ownership_record(domain: dict[str, Any]) -> dict[str, str]:
    return next(r for r in domain["dns_records"] if r["purpose"] == "OWNERSHIP")


def _native(client: ApiClient, domain_id: str) -> int:
    body = {"domain_id": domain_id, "email_prefix": "sales", "display_name": "Sales"}
    return client.call("POST", "/sender-accounts/coldsend-native", body).status


def test_a_squatter_blocks_nobody_and_the_owner_takes_the_name(
    zone: Zone, workspace: Callable[..., ApiClient]
) -> None:
    # Given a workspace that registers a name it does not own
    squatter, owner = workspace(), workspace()
    name = _name()
    squatted = _register(squatter, name)
    assert squatted["status"] == "PENDING"
    assert _native(squatter, squatted["domain_id"]) == 400
    # When the real owner registers it too: no 409, nothing said about the other workspace
    mine = _register(owner, name)
    assert mine["status"] == "PENDING"
    record = _ownership_record(mine)
    assert record["name"] == f"_sender-accounts.{name}"
    assert record["value"] != _ownership_record(squatted)["value"]
    # And publishes its token in DNS
    zone.publish(record["name"], record["value"])
    # Then its domain proceeds to SES and becomes ACTIVE; the squatter's stays PENDING
    proven = owner.call("GET", f"/domains/{mine['domain_id']}").json()
    assert proven["status"] == "ACTIVE"
    assert _native(owner, mine["domain_id"]) == 201
    assert squatter.call("GET", f"/domains/{squatted['domain_id']}").json()["status"] == "PENDING"
    # Even if the squatter's token shows up later, the name is taken
    zone.publish(_ownership_record(squatted)["name"], _ownership_record(squatted)["value"])
    later = squatter.call("GET", f"/domains/{squatted['domain_id']}").json()
    assert later["status"] == "PENDING"
    # Deleting the squatter's registration leaves the owner's identity alone
    assert squatter.call("DELETE", f"/domains/{squatted['domain_id']}").status == 200
    assert owner.call("GET", f"/domains/{mine['domain_id']}").json()["status"] == "ACTIVE"


def test_without_the_token_in_dns_nothing_is_claimed(
    zone: Zone, workspace: Callable[..., ApiClient]
) -> None:
    from sender_accounts.adapters.aws_clients import client as aws

    client = workspace()
    name = _name()
    domain = _register(client, name)
    # A token published for another name, or another token, does not count
    zone.publish(f"_sender-accounts.other-{name}", _ownership_record(domain)["value"])
    zone.publish(f"_sender-accounts.{name}", "sender-accounts-verification=someone-else")
    again = client.call("GET", f"/domains/{domain['domain_id']}").json()
    assert again["status"] == "PENDING"
    assert zone.queries >= 2
    identities = aws("ses").list_identities(IdentityType="Domain")["Identities"]
    assert name not in identities


def test_a_dead_resolver_leaves_the_registration_pending(
    workspace: Callable[..., ApiClient], settings_env: Callable[[str, str], None]
) -> None:
    with silent_dns_server() as address:
        settings_env("DOMAIN_OWNERSHIP_CHECK", "dns")
        settings_env("DNS_NAMESERVERS", address)
        client = workspace()
        started = time.monotonic()
        domain = _register(client, _name())
        assert domain["status"] == "PENDING"
        assert time.monotonic() - started < 10


def test_the_same_workspace_registers_a_name_once_and_pending_ones_expire(
    zone: Zone, workspace: Callable[..., ApiClient]
) -> None:
    from sender_accounts.adapters.aws_clients import client as aws
    from sender_accounts.store.dynamo import serialize
    from sender_accounts.store.keys import domain_key, workspace_name_key

    client = workspace()
    name = _name()
    domain = _register(client, name)
    duplicate = client.call("POST", "/domains", {"domain": name})
    assert duplicate.status == 409
    # When the pending registration's time is up (DynamoDB TTL may take a while to remove it)
    for key, attribute in (
        (domain_key(client.workspace_id, domain["domain_id"]), "pending_until"),
        (workspace_name_key(client.workspace_id, name), "expires_at"),
    ):
        aws("dynamodb").update_item(
            TableName=os.environ["TABLE_NAME"],
            Key=serialize(key),
            UpdateExpression=f"SET {attribute} = :past",
            ExpressionAttributeValues=serialize({":past": int(time.time()) - 1}),
        )
    # Then it is gone for reads, and the name can be registered again
    assert client.call("GET", f"/domains/{domain['domain_id']}").status == 404
    assert client.call("GET", "/domains").json()["pagination"]["total"] == 0
    again = client.call("POST", "/domains", {"domain": name})
    assert again.status == 201, again.body
    assert _ownership_record(again.json())["value"] != _ownership_record(domain)["value"]
