"""What the use cases need of the stores, as protocols: the real stores (inboxes.py,
bulk_jobs.py, inbox_lists.py, search_index.py, domains.py, oauth_apps.py, consents.py) and
the unit tier's in-memory fakes both satisfy them, and mypy holds each to it where it is
passed in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # annotations only: the protocols load no store
    from sender_accounts.common.statuses import WarmupStatus
    from sender_accounts.store.bulk_jobs import RowOutcome
    from sender_accounts.store.inbox_lists import Chunk, ListSpec
    from sender_accounts.store.records import (
        ConsentRecord,
        DomainRecord,
        InboxChanges,
        InboxRecord,
        JobRecord,
        ListedInbox,
        OAuthAppRecord,
        RowDecision,
        RowRecord,
    )


class Inboxes(Protocol):
    """Inboxes per workspace: unique addresses, optimistic updates, the daily send counter."""

    def address_taken(self, workspace_id: str, email_address: str) -> bool: ...

    def create_inbox(self, workspace_id: str, inbox: InboxRecord) -> InboxRecord: ...

    def get_inbox(self, workspace_id: str, inbox_id: str) -> InboxRecord: ...

    def delete_inbox(self, workspace_id: str, inbox_id: str) -> InboxRecord: ...

    def update_inbox(
        self, workspace_id: str, before: InboxRecord, update: InboxChanges
    ) -> InboxRecord: ...

    def reserve_send(self, workspace_id: str, inbox_id: str, today: str) -> bool: ...

    def release_send(self, workspace_id: str, inbox_id: str, today: str) -> None: ...

    def save_tokens(
        self, workspace_id: str, inbox_id: str, ciphertext: bytes, replaced_version: int
    ) -> bool: ...


class BulkJobs(Protocol):
    """Bulk jobs and their rows: each row decided once, with its effect, counted on its job."""

    def addresses_taken(self, workspace_id: str, addresses: list[str]) -> set[str]: ...

    def create(self, job: JobRecord, rows: list[RowRecord]) -> None: ...

    def get_job(self, workspace_id: str, job_id: str, job_type: str) -> JobRecord: ...

    def rows(self, job_id: str) -> list[RowRecord]: ...

    def decide_row(
        self,
        job_id: str,
        row: int,
        decision: RowDecision,
        counter: str,
        effects: tuple[dict[str, Any], ...] = (),
    ) -> RowOutcome: ...

    def complete_row_success(
        self, workspace_id: str, job_id: str, row: int, inbox: InboxRecord
    ) -> RowOutcome: ...

    def complete_row_failure(self, job_id: str, row: int, error_code: str, error: str) -> bool: ...

    def delete_inbox_row(
        self, workspace_id: str, job_id: str, row: int, inbox: InboxRecord
    ) -> RowOutcome: ...

    def finish_if_done(self, job_id: str, now: str) -> JobRecord | None: ...

    def mark_failed(self, job_id: str, now: str) -> None: ...


class InboxListing(Protocol):
    """Pages of inboxes from the list indexes, and the counters beside them."""

    def page(
        self, spec: ListSpec, limit: int, start: dict[str, Any] | None = None, skip: int = 0
    ) -> Chunk: ...

    def inbox_ids(self, spec: ListSpec, bound: int) -> list[str]: ...

    def merged_page(
        self, specs: list[ListSpec], limit: int, beyond: str | None = None, skip: int = 0
    ) -> Chunk: ...

    def count(
        self,
        workspace_id: str,
        inbox_type: str | None,
        status: str | None,
        warmup: WarmupStatus | None = None,
    ) -> int: ...

    def count_below(self, workspace_id: str, health_below: int) -> int: ...

    def count_matching(self, specs: list[ListSpec]) -> int: ...


class AddressSearch(Protocol):
    """Inboxes whose address contains a text, at most `bound` of them, and how many matched."""

    def matching(
        self, workspace_id: str, text: str, bound: int
    ) -> tuple[list[ListedInbox], int]: ...


class Domains(Protocol):
    """A workspace's domains and the one owner of each name."""

    def register(self, workspace_id: str, item: DomainRecord) -> None: ...

    def take_ownership(self, workspace_id: str, item: DomainRecord) -> bool: ...

    def release_ownership(self, domain: str) -> None: ...

    def set(self, workspace_id: str, domain_id: str, values: dict[str, Any]) -> DomainRecord: ...

    def get(self, workspace_id: str, domain_id: str) -> DomainRecord | None: ...

    def delete(self, workspace_id: str, item: DomainRecord, owned: bool) -> None: ...


class OAuthAppRecords(Protocol):
    """A workspace's OAuth apps; one in use by an inbox cannot be deleted."""

    def create(self, workspace_id: str, app: OAuthAppRecord) -> None: ...

    def get(self, workspace_id: str, oauth_app_id: str) -> OAuthAppRecord: ...

    def list(self, workspace_id: str) -> list[OAuthAppRecord]: ...

    def delete(self, workspace_id: str, oauth_app_id: str) -> OAuthAppRecord: ...


class Consents(Protocol):
    """Consents in progress, by the hash of their state: each claimed once, before it expires."""

    def put(self, state_hash: str, consent: ConsentRecord) -> None: ...

    def claim(self, state_hash: str, now: int, used_at: str) -> tuple[ConsentRecord, bool]: ...
