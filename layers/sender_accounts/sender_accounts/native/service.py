"""Managed (native) inboxes on a workspace's ACTIVE domains: no credentials, SES sends."""

from __future__ import annotations

import uuid

from sender_accounts.accounts.creation import created_answer, store_new_inbox
from sender_accounts.accounts.models import CreateAccountResponse, InboxStatus, InboxType
from sender_accounts.adapters.ports import EventBus
from sender_accounts.common.check_schedule import first_check_at
from sender_accounts.common.clock import utc_now
from sender_accounts.common.statuses import RowStatus
from sender_accounts.common.warmup_words import warmup_key
from sender_accounts.domains.models import DomainStatus
from sender_accounts.domains.service import DomainService
from sender_accounts.errors import DomainNotActive, DuplicateAddress
from sender_accounts.native.models import (
    BulkCreateNativeAccountsRequest,
    BulkCreateNativeAccountsResponse,
    CreateNativeAccountRequest,
    NativeInboxItem,
    NativeRowResult,
)
from sender_accounts.store.ports import Inboxes
from sender_accounts.store.records import DomainRecord, InboxRecord

NATIVE_MESSAGE = "ColdSend native inbox created successfully"


class NativeAccountService:
    def __init__(
        self,
        accounts: Inboxes,
        domains: DomainService,
        events: EventBus,
    ) -> None:
        self._accounts = accounts
        self._domains = domains
        self._events = events

    def _active_domain(self, workspace_id: str, domain_id: str) -> DomainRecord:
        domain = self._domains.get_item(workspace_id, domain_id, take_ownership=False)
        if domain.status != DomainStatus.ACTIVE.value:
            raise DomainNotActive(domain.domain, domain.status)
        return domain

    def create(
        self, workspace_id: str, request: CreateNativeAccountRequest
    ) -> CreateAccountResponse:
        domain = self._active_domain(workspace_id, request.domain_id)
        return self._create_one(workspace_id, domain, request, request.daily_limit)

    def create_many(
        self, workspace_id: str, request: BulkCreateNativeAccountsRequest
    ) -> BulkCreateNativeAccountsResponse:
        domain = self._active_domain(workspace_id, request.domain_id)
        results: list[NativeRowResult] = []
        for row, item in enumerate(request.inboxes):
            try:
                created = self._create_one(workspace_id, domain, item, 100)
                results.append(
                    NativeRowResult(
                        row=row, email_prefix=item.email_prefix, status=RowStatus.SUCCESS,
                        inbox_id=created.inbox_id,
                    )
                )  # fmt: skip
            except (DuplicateAddress, DomainNotActive) as exc:
                code = "DUPLICATE" if isinstance(exc, DuplicateAddress) else "DOMAIN_NOT_ACTIVE"
                results.append(
                    NativeRowResult(
                        row=row, email_prefix=item.email_prefix, status=RowStatus.FAILED,
                        error_code=code, error=str(exc),
                    )
                )  # fmt: skip
        created_count = sum(r.status is RowStatus.SUCCESS for r in results)
        return BulkCreateNativeAccountsResponse(
            created_count=created_count, failed_count=len(results) - created_count, results=results
        )

    def _create_one(
        self,
        workspace_id: str,
        domain: DomainRecord,
        item: NativeInboxItem,
        daily_limit: int,
    ) -> CreateAccountResponse:
        address = f"{item.email_prefix}@{domain.domain}"
        inbox_id, now = str(uuid.uuid4()), utc_now()
        inbox = InboxRecord(
            inbox_id=inbox_id,
            email_address=address,
            email_lower=address,
            display_name=item.display_name,
            inbox_type=InboxType.COLDSEND,
            domain_id=domain.domain_id,
            daily_limit=daily_limit,
            overall_status=InboxStatus.ACTIVE,
            emails_sent_today=0,
            health_score=100,
            settings={},
            connection_errors=[],
            next_check_at=first_check_at(now),
            created_at=now,
            updated_at=now,
            warmup_key_id=warmup_key(),
        )
        store_new_inbox(self._accounts, self._events, workspace_id, inbox)
        return created_answer(inbox, NATIVE_MESSAGE)
