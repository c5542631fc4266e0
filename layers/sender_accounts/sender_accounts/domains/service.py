"""Workspace domains for managed (native) inboxes: sending identities in Amazon SES.

Items, in the accounts table: `WS#<workspace>` / `DOMAIN#<id>` for the domain (status, its
ownership token, DKIM tokens, how many inboxes use it); `WS#<workspace>` / `CLAIM#<domain>`
so a workspace registers a name once; and, once ownership is proven (domain_ownership.py),
`DOMAINNAME#<domain>` / `DOMAINNAME` naming the one workspace that owns the name and its SES
identity, so deleting a domain can never break another workspace's.
"""

from __future__ import annotations

import math
import time
import uuid
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.accounts.records import utc_now
from sender_accounts.adapters.events import EventPublisher
from sender_accounts.adapters.observability import logger
from sender_accounts.common.pagination import Pagination
from sender_accounts.domains.models import (
    DnsRecord,
    DomainListResponse,
    DomainResponse,
    DomainStatus,
)
from sender_accounts.domains.ownership import (
    OwnershipCheck,
    expired,
    new_token,
    ownership_record_name,
    ownership_record_value,
    pending_expiry,
)
from sender_accounts.errors import DependencyUnavailable, DomainInUse, DuplicateDomain, NotFound
from sender_accounts.store.inboxes import (
    SenderAccountRepository,
    deserialize,
    domain_key,
    serialize,
    workspace_key,
)

SES_STATUS = {
    "Success": DomainStatus.ACTIVE,
    "Failed": DomainStatus.FAILED,
    "TemporaryFailure": DomainStatus.DNS_PENDING,
    "Pending": DomainStatus.DNS_PENDING,
    "NotStarted": DomainStatus.DNS_PENDING,
}


def domain_claim_key(domain: str) -> dict[str, str]:
    return {"pk": f"DOMAINNAME#{domain}", "sk": "DOMAINNAME"}


def workspace_name_key(workspace_id: str, domain: str) -> dict[str, str]:
    return {"pk": workspace_key(workspace_id), "sk": f"CLAIM#{domain}"}


def dns_records(domain: str, dkim_tokens: list[str], ownership_token: str) -> list[DnsRecord]:
    records = [
        DnsRecord(
            type="TXT",
            name=ownership_record_name(domain),
            value=ownership_record_value(ownership_token),
            purpose="OWNERSHIP",
        )
    ]
    records += [
        DnsRecord(
            type="CNAME",
            name=f"{token}._domainkey.{domain}",
            value=f"{token}.dkim.amazonses.com",
            purpose="DKIM",
        )
        for token in dkim_tokens
    ]
    records.append(
        DnsRecord(type="TXT", name=domain, value="v=spf1 include:amazonses.com ~all", purpose="SPF")
    )
    records.append(
        DnsRecord(
            type="TXT",
            name=f"_dmarc.{domain}",
            value=f"v=DMARC1; p=none; rua=mailto:dmarc@{domain}",
            purpose="DMARC",
        )
    )
    return records


def domain_response(item: dict[str, Any]) -> DomainResponse:
    return DomainResponse(
        domain_id=item["domain_id"],
        domain=item["domain"],
        status=DomainStatus(item["status"]),
        dns_records=dns_records(
            item["domain"], list(item.get("dkim_tokens", [])), str(item["ownership_token"])
        ),
        inbox_count=int(item.get("inbox_count", 0)),
        created_at=datetime.fromisoformat(item["created_at"]),
    )


class DomainService:
    def __init__(
        self,
        accounts: SenderAccountRepository,
        table: str,
        ses: Any,
        events: EventPublisher,
        ownership: OwnershipCheck,
    ) -> None:
        self._accounts = accounts
        self._table = table
        self._ses = ses
        self._events = events
        self._ownership = ownership

    def _ses_call(self, operation: str, **kwargs: Any) -> Any:
        try:
            return getattr(self._ses, operation)(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            code = (
                exc.response.get("Error", {}).get("Code") if isinstance(exc, ClientError) else None
            )
            raise DependencyUnavailable(
                "SES", f"{operation}: {code or type(exc).__name__}"
            ) from None

    def create(self, workspace_id: str, domain: str) -> DomainResponse:
        domain_id, now = str(uuid.uuid4()), utc_now()
        expires_at = pending_expiry()
        item = {
            "domain_id": domain_id,
            "domain": domain,
            "status": DomainStatus.PENDING.value,
            "ownership_token": new_token(),
            "inbox_count": 0,
            "expires_at": expires_at,
            "created_at": now,
            "updated_at": now,
        }
        name = {"domain_id": domain_id, "expires_at": expires_at}
        try:
            self._accounts.call(
                "transact_write_items",
                TransactItems=[
                    {
                        # Once per workspace; an expired pending registration does not count.
                        "Put": {
                            "TableName": self._table,
                            "Item": serialize({**workspace_name_key(workspace_id, domain), **name}),
                            "ConditionExpression": "attribute_not_exists(pk) OR expires_at < :now",
                            "ExpressionAttributeValues": serialize({":now": int(time.time())}),
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": serialize({**domain_key(workspace_id, domain_id), **item}),
                        }
                    },
                ],
            )
        except ClientError as exc:
            raise DuplicateDomain(domain) from exc
        self._events.publish(
            "DomainStatusChanged",
            {"workspace_id": workspace_id, "domain_id": domain_id, "domain": domain,
             "old_status": None, "new_status": item["status"]},
        )  # fmt: skip
        return domain_response(self._refresh([item], workspace_id)[0])

    def _take_ownership(self, workspace_id: str, item: dict[str, Any]) -> dict[str, Any]:
        """Claim the name for this workspace once its token is seen; then the SES identity.

        Stays PENDING when the token is not published yet or another workspace owns the name."""
        if not self._ownership.proven(item["domain"], str(item["ownership_token"])):
            return item
        owner = {"workspace_id": workspace_id, "domain_id": item["domain_id"]}
        try:
            self._accounts.call(
                "transact_write_items",
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": serialize({**domain_claim_key(item["domain"]), **owner}),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": serialize(domain_key(workspace_id, item["domain_id"])),
                            "UpdateExpression": "SET #s = :proven REMOVE expires_at",
                            "ConditionExpression": "#s = :pending",
                            "ExpressionAttributeNames": {"#s": "status"},
                            "ExpressionAttributeValues": serialize(
                                {":proven": "DNS_PENDING", ":pending": "PENDING"}
                            ),
                        }
                    },
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": serialize(workspace_name_key(workspace_id, item["domain"])),
                            "UpdateExpression": "REMOVE expires_at",
                        }
                    },
                ],
            )
        except ClientError:
            return item  # owned by another workspace, or proven by a concurrent request
        try:
            self._ses_call("verify_domain_identity", Domain=item["domain"])
            tokens = self._ses_call("verify_domain_dkim", Domain=item["domain"])["DkimTokens"]
        except DependencyUnavailable:
            # Nothing half-registered stays: the claim goes, the registration is pending again.
            self._release_claim(workspace_id, item)
            raise
        self._events.publish(
            "DomainStatusChanged",
            {"workspace_id": workspace_id, "domain_id": item["domain_id"],
             "domain": item["domain"], "old_status": "PENDING", "new_status": "DNS_PENDING"},
        )  # fmt: skip
        return self._set(workspace_id, item, {"status": "DNS_PENDING", "dkim_tokens": tokens})

    def _release_claim(self, workspace_id: str, item: dict[str, Any]) -> None:
        self._accounts.call(
            "delete_item", TableName=self._table, Key=serialize(domain_claim_key(item["domain"]))
        )
        self._set(workspace_id, item, {"status": "PENDING", "expires_at": pending_expiry()})

    def _set(
        self, workspace_id: str, item: dict[str, Any], values: dict[str, Any]
    ) -> dict[str, Any]:
        values = {**values, "updated_at": utc_now()}
        names = {f"#f{i}": name for i, name in enumerate(values)}
        response = self._accounts.call(
            "update_item",
            TableName=self._table,
            Key=serialize(domain_key(workspace_id, item["domain_id"])),
            UpdateExpression="SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(values))),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=serialize(
                {f":v{i}": value for i, value in enumerate(values.values())}
            ),
            ReturnValues="ALL_NEW",
        )
        return deserialize(response["Attributes"])

    def _refresh(
        self, items: list[dict[str, Any]], workspace_id: str, take_ownership: bool = True
    ) -> list[dict[str, Any]]:
        """Statuses as SES reports them now; a change is stored and announced."""
        # Every status, ACTIVE included: SES can revoke a verification (DKIM records removed).
        items = [
            self._take_ownership(workspace_id, i)
            if take_ownership and i["status"] == DomainStatus.PENDING.value
            else i
            for i in items
        ]
        stale = [i for i in items if i["status"] != DomainStatus.PENDING.value]
        if not stale:
            return items
        attributes = self._ses_call(
            "get_identity_verification_attributes", Identities=[i["domain"] for i in stale]
        )["VerificationAttributes"]
        refreshed = {}
        for item in stale:
            reported = attributes.get(item["domain"], {}).get("VerificationStatus")
            status = (
                SES_STATUS.get(reported, DomainStatus.FAILED) if reported else DomainStatus.FAILED
            )
            if status.value != item["status"] and item["status"] != DomainStatus.PENDING.value:
                self._events.publish(
                    "DomainStatusChanged",
                    {"workspace_id": workspace_id, "domain_id": item["domain_id"],
                     "domain": item["domain"], "old_status": item["status"],
                     "new_status": status.value},
                )  # fmt: skip
            if status.value != item["status"]:
                item = self._set(workspace_id, item, {"status": status.value})
            refreshed[item["domain_id"]] = item
        return [refreshed.get(i["domain_id"], i) for i in items]

    def get_item(
        self, workspace_id: str, domain_id: str, take_ownership: bool = True
    ) -> dict[str, Any]:
        """The domain, its status refreshed; `take_ownership` also checks a pending one's token
        (domain routes only: inbox routes do not hold the permissions to claim a name)."""
        response = self._accounts.call(
            "get_item",
            TableName=self._table,
            Key=serialize(domain_key(workspace_id, domain_id)),
            ConsistentRead=True,
        )
        item = deserialize(response["Item"]) if "Item" in response else None
        if item is None or expired(item):
            raise NotFound("Domain")
        return self._refresh([item], workspace_id, take_ownership)[0]

    def get(self, workspace_id: str, domain_id: str) -> DomainResponse:
        return domain_response(self.get_item(workspace_id, domain_id))

    def list(self, workspace_id: str, page: int, limit: int) -> DomainListResponse:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": serialize(
                {":pk": workspace_key(workspace_id), ":prefix": "DOMAIN#"}
            ),
        }
        items: list[dict[str, Any]] = []
        while True:
            response = self._accounts.call("query", **request)
            items.extend(deserialize(i) for i in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                break
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        items = [i for i in items if not expired(i)]
        items.sort(key=lambda i: (i["created_at"], i["domain_id"]), reverse=True)
        total = len(items)
        pages = math.ceil(total / limit) if total else 0
        shown = self._refresh(items[(page - 1) * limit : page * limit], workspace_id)
        return DomainListResponse(
            message=f"Retrieved {len(shown)} domains",
            domains=[domain_response(i) for i in shown],
            pagination=Pagination(
                page=page, limit=limit, total=total, pages=pages,
                has_next=page < pages, has_prev=page > 1 and total > 0,
            ),
        )  # fmt: skip

    def delete(self, workspace_id: str, domain_id: str) -> str:
        item = self.get_item(workspace_id, domain_id)
        owned = item["status"] != DomainStatus.PENDING.value
        removals: list[dict[str, Any]] = [
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": serialize(domain_key(workspace_id, domain_id)),
                    "ConditionExpression": "attribute_exists(pk) AND inbox_count = :zero",
                    "ExpressionAttributeValues": serialize({":zero": 0}),
                }
            },
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": serialize(workspace_name_key(workspace_id, item["domain"])),
                }
            },
        ]
        if owned:
            removals.append(
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": serialize(domain_claim_key(item["domain"])),
                        "ConditionExpression": "workspace_id = :me",
                        "ExpressionAttributeValues": serialize({":me": workspace_id}),
                    }
                }
            )
        try:
            self._accounts.call("transact_write_items", TransactItems=removals)
        except ClientError as exc:
            raise DomainInUse(int(item.get("inbox_count", 0))) from exc
        if owned:
            try:
                self._ses_call("delete_identity", Identity=item["domain"])
            except DependencyUnavailable:
                # The domain is gone from the API; the identity is retried by the next claim.
                logger.warning("SES identity not deleted", extra={"domain_id": domain_id})
        self._events.publish(
            "DomainStatusChanged",
            {"workspace_id": workspace_id, "domain_id": domain_id, "domain": item["domain"],
             "old_status": item["status"], "new_status": "DELETED"},
        )  # fmt: skip
        return str(item["domain"])
