"""Workspace domains for managed (native) inboxes: sending identities in Amazon SES.

Persistence is store/domains.py; the key design is in store/keys.py.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.adapters.observability import logger
from sender_accounts.adapters.ports import EventBus
from sender_accounts.common.clock import utc_now
from sender_accounts.common.events import DomainStatusChanged
from sender_accounts.common.ids import known_form
from sender_accounts.domains.models import (
    DnsRecord,
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
from sender_accounts.errors import DependencyUnavailable, NotFound
from sender_accounts.store.ports import Domains
from sender_accounts.store.records import DomainRecord

SES_STATUS = {
    "Success": DomainStatus.ACTIVE,
    "Failed": DomainStatus.FAILED,
    "TemporaryFailure": DomainStatus.DNS_PENDING,
    "Pending": DomainStatus.DNS_PENDING,
    "NotStarted": DomainStatus.DNS_PENDING,
}


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


def domain_response(item: DomainRecord) -> DomainResponse:
    return DomainResponse(
        domain_id=item.domain_id,
        domain=item.domain,
        status=DomainStatus(item.status),
        dns_records=dns_records(item.domain, list(item.dkim_tokens), item.ownership_token),
        inbox_count=item.inbox_count,
        created_at=datetime.fromisoformat(item.created_at),
    )


class DomainService:
    def __init__(
        self,
        store: Domains,
        ses: Any,
        events: EventBus,
        ownership: OwnershipCheck,
    ) -> None:
        self._store = store
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
        item = DomainRecord(
            domain_id=domain_id,
            domain=domain,
            status=DomainStatus.PENDING,
            ownership_token=new_token(),
            pending_until=pending_expiry(),
            created_at=now,
            updated_at=now,
        )
        self._store.register(workspace_id, item)
        self._events.publish(
            DomainStatusChanged(workspace_id=workspace_id, domain_id=domain_id, domain=domain,
                                new_status=item.status)
        )  # fmt: skip
        return domain_response(self.refresh([item], workspace_id)[0])

    def _take_ownership(self, workspace_id: str, item: DomainRecord) -> DomainRecord:
        """Claim the name for this workspace once its token is seen; then the SES identity.

        Stays PENDING when the token is not published yet or another workspace owns the name."""
        if not self._ownership.proven(item.domain, item.ownership_token):
            return item
        if not self._store.take_ownership(workspace_id, item):
            return item  # owned by another workspace, or proven by a concurrent request
        try:
            self._ses_call("verify_domain_identity", Domain=item.domain)
            tokens = self._ses_call("verify_domain_dkim", Domain=item.domain)["DkimTokens"]
        except DependencyUnavailable:
            # Nothing half-registered stays: the claim goes, the registration is pending again.
            self._release_claim(workspace_id, item)
            raise
        self._events.publish(
            DomainStatusChanged(workspace_id=workspace_id, domain_id=item.domain_id,
                                domain=item.domain, old_status=DomainStatus.PENDING,
                                new_status=DomainStatus.DNS_PENDING)
        )  # fmt: skip
        return self._set(workspace_id, item, {"status": "DNS_PENDING", "dkim_tokens": tokens})

    def _release_claim(self, workspace_id: str, item: DomainRecord) -> None:
        self._store.release_ownership(item.domain)
        self._set(workspace_id, item, {"status": "PENDING", "pending_until": pending_expiry()})

    def _set(self, workspace_id: str, item: DomainRecord, values: dict[str, Any]) -> DomainRecord:
        return self._store.set(workspace_id, item.domain_id, {**values, "updated_at": utc_now()})

    def refresh(
        self, items: list[DomainRecord], workspace_id: str, take_ownership: bool = True
    ) -> list[DomainRecord]:
        """Statuses as SES reports them now; a change is stored and announced."""
        # Every status, ACTIVE included: SES can revoke a verification (DKIM records removed).
        items = [
            self._take_ownership(workspace_id, i)
            if take_ownership and i.status == DomainStatus.PENDING.value
            else i
            for i in items
        ]
        stale = [i for i in items if i.status != DomainStatus.PENDING.value]
        if not stale:
            return items
        attributes = self._ses_call(
            "get_identity_verification_attributes", Identities=[i.domain for i in stale]
        )["VerificationAttributes"]
        refreshed = {}
        for item in stale:
            reported = attributes.get(item.domain, {}).get("VerificationStatus")
            status = (
                SES_STATUS.get(reported, DomainStatus.FAILED) if reported else DomainStatus.FAILED
            )
            if status.value != item.status and item.status != DomainStatus.PENDING.value:
                self._events.publish(
                    DomainStatusChanged(workspace_id=workspace_id, domain_id=item.domain_id,
                                        domain=item.domain, old_status=item.status,
                                        new_status=status)
                )  # fmt: skip
            if status.value != item.status:
                item = self._set(workspace_id, item, {"status": status.value})
            refreshed[item.domain_id] = item
        return [refreshed.get(i.domain_id, i) for i in items]

    def get_item(
        self, workspace_id: str, domain_id: str, take_ownership: bool = True
    ) -> DomainRecord:
        """The domain, its status refreshed; `take_ownership` also checks a pending one's token
        (domain routes only: inbox routes do not hold the permissions to claim a name)."""
        item = self._store.get(workspace_id, known_form(domain_id, "Domain"))
        if item is None or expired(item):
            raise NotFound("Domain")
        return self.refresh([item], workspace_id, take_ownership)[0]

    def domain_status(self, workspace_id: str, domain_id: str) -> tuple[str, bool | None]:
        """A native inbox's domain for its health check: the status SES reports now, and
        whether SES has verified its DKIM (None when SES did not say)."""
        try:
            item = self.get_item(workspace_id, domain_id, take_ownership=False)
        except NotFound:
            return DomainStatus.FAILED.value, False
        try:
            dkim = self._ses_call("get_identity_dkim_attributes", Identities=[item.domain])
        except DependencyUnavailable:
            return item.status, None
        reported = dkim["DkimAttributes"].get(item.domain, {}).get("DkimVerificationStatus")
        return item.status, (reported == "Success") if reported else None

    def get(self, workspace_id: str, domain_id: str) -> DomainResponse:
        return domain_response(self.get_item(workspace_id, domain_id))

    def delete(self, workspace_id: str, domain_id: str) -> str:
        item = self.get_item(workspace_id, domain_id)
        owned = item.status != DomainStatus.PENDING.value
        self._store.delete(workspace_id, item, owned)
        if owned:
            try:
                self._ses_call("delete_identity", Identity=item.domain)
            except DependencyUnavailable:
                # The domain is gone from the API; the identity is retried by the next claim.
                logger.warning("SES identity not deleted", extra={"domain_id": domain_id})
        self._events.publish(
            DomainStatusChanged(workspace_id=workspace_id, domain_id=domain_id,
                                domain=item.domain, old_status=item.status, new_status="DELETED")
        )  # fmt: skip
        return item.domain
