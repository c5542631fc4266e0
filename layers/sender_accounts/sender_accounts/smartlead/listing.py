"""GET /email-accounts: SmartLead's offset pages, a bare array, oldest account first (new
accounts join the end, so an offset keeps its place while a client pages on).

Type and username filters come from the list index and the address search keys: a page
costs what it shows at any offset. The filters the index does not carry (client, login
results, warm-up status and block) are tested on whole records, walking at most
SEARCH_READ_BOUND entries of the workspace per request, as ColdSend's list does for
`health_below`."""

from __future__ import annotations

from typing import Protocol

from sender_accounts.accounts.listing import list_specs
from sender_accounts.accounts.models import ListQuery, SortField, SortOrder
from sender_accounts.common.statuses import InboxType
from sender_accounts.smartlead.account_object import SmartLeadAccount, account_object
from sender_accounts.smartlead.fields import ACCOUNT_TYPES, ListFilters
from sender_accounts.store.inbox_lists import SEARCH_READ_BOUND
from sender_accounts.store.ports import AddressSearch, InboxListing
from sender_accounts.store.records import InboxRecord

WALK_CHUNK = 100


class InboxRecords(Protocol):
    def records(self, workspace_id: str, inbox_ids: list[str]) -> list[InboxRecord]: ...


def _record_filters_pass(account: SmartLeadAccount, filters: ListFilters) -> bool:
    details = account.warmup_details
    wanted = (
        (filters.client_id, str(account.client_id) if account.client_id is not None else None),
        (filters.email_warmup_status, details.status),
        (filters.is_smtp_success, account.is_smtp_success),
        (filters.is_imap_success, account.is_imap_success),
        (filters.is_warmup_blocked, details.is_warmup_blocked),
    )
    return all(want is None or want == have for want, have in wanted)


def _by_record(filters: ListFilters) -> bool:
    return any(
        value is not None
        for value in (filters.client_id, filters.email_warmup_status, filters.is_smtp_success,
                      filters.is_imap_success, filters.is_warmup_blocked)
    )  # fmt: skip


class SmartLeadListing:
    def __init__(self, lists: InboxListing, search: AddressSearch, records: InboxRecords) -> None:
        self._lists = lists
        self._search = search
        self._records = records

    def page(self, workspace_id: str, filters: ListFilters) -> list[SmartLeadAccount]:
        inbox_type = ACCOUNT_TYPES[filters.esp] if filters.esp else None
        if filters.username:
            ids = self._searched(workspace_id, filters.username, inbox_type)
            return self._shown(workspace_id, ids, filters)
        query = ListQuery(
            limit=100, inbox_type=inbox_type, sort_by=SortField.CREATED_AT,
            sort_order=SortOrder.ASC,
        )  # fmt: skip
        spec = list_specs(workspace_id, query)[0]
        if not _by_record(filters):
            chunk = self._lists.page(spec, filters.limit, None, filters.offset)
            records = self._records.records(workspace_id, [i.inbox_id for i in chunk.items])
            return [account_object(record) for record in records]
        matched: list[SmartLeadAccount] = []
        position, walked = None, 0
        while walked < SEARCH_READ_BOUND and len(matched) < filters.offset + filters.limit:
            chunk = self._lists.page(spec, WALK_CHUNK, position)
            walked += len(chunk.items)
            records = self._records.records(workspace_id, [i.inbox_id for i in chunk.items])
            accounts = (account_object(record) for record in records)
            matched.extend(a for a in accounts if _record_filters_pass(a, filters))
            position = chunk.last_key
            if position is None:
                break
        return matched[filters.offset : filters.offset + filters.limit]

    def _searched(self, workspace_id: str, text: str, inbox_type: InboxType | None) -> list[str]:
        matches, _ = self._search.matching(workspace_id, text, SEARCH_READ_BOUND)
        kept = [m for m in matches if inbox_type is None or m.inbox_type == inbox_type]
        kept.sort(key=lambda m: (m.created_at, m.inbox_id))
        return [m.inbox_id for m in kept]

    def _shown(
        self, workspace_id: str, inbox_ids: list[str], filters: ListFilters
    ) -> list[SmartLeadAccount]:
        if not _by_record(filters):
            page = inbox_ids[filters.offset : filters.offset + filters.limit]
            return [account_object(r) for r in self._records.records(workspace_id, page)]
        accounts = [account_object(r) for r in self._records.records(workspace_id, inbox_ids)]
        kept = [a for a in accounts if _record_filters_pass(a, filters)]
        return kept[filters.offset : filters.offset + filters.limit]
