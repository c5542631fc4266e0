"""Creating, listing and deleting connected accounts, driven with fakes."""

from __future__ import annotations

from typing import Any

import pytest

from sender_accounts.accounts.listing import SenderAccountListing
from sender_accounts.accounts.models import CreateSmtpAccountRequest, ListQuery
from sender_accounts.accounts.service import SenderAccountService
from sender_accounts.accounts.stored import StoredAccounts
from sender_accounts.errors import ConnectionValidationFailed, DuplicateAddress, NotFound
from tests.unit.fakes import (
    SETTINGS,
    FakeEvents,
    FakeInboxLists,
    FakeInboxSearch,
    FakeInboxStore,
    FakeValidator,
    FakeVault,
    auth_failure,
)
from tests.unit.records import WORKSPACE, stored_inbox


def _request(**overrides: Any) -> CreateSmtpAccountRequest:
    body: dict[str, Any] = {
        "email_address": "outreach@acme.test", "display_name": "Outreach",
        "inbox_type": "CUSTOM_SMTP", "smtp_host": "smtp.acme.test", "smtp_port": 587,
        "smtp_username": "outreach@acme.test", "smtp_password": "smtp-secret",
        "imap_host": "imap.acme.test", "imap_port": 993,
        "imap_username": "outreach@acme.test", "imap_password": "imap-secret",
    }  # fmt: skip
    body.update(overrides)
    return CreateSmtpAccountRequest.model_validate(body)


def _service(
    failures: list[Any] | None = None,
) -> tuple[SenderAccountService, FakeInboxStore, FakeEvents, FakeValidator]:
    store, events = FakeInboxStore(), FakeEvents()
    validator = FakeValidator(failures=failures or [])
    return (
        SenderAccountService(store, FakeVault(), events, SETTINGS, validator, None),
        store,
        events,
        validator,
    )


def test_a_mailbox_that_validates_is_stored_active_with_sealed_passwords() -> None:
    service, store, events, validator = _service()
    created = service.create_smtp_account(WORKSPACE, _request())
    assert created.overall_status.value == "ACTIVE"
    stored = store.get_inbox(WORKSPACE, created.inbox_id)
    assert stored.passwords_ciphertext is not None
    assert b"smtp-secret" not in stored.passwords_ciphertext
    assert "smtp-secret" not in stored.model_dump_json()
    assert validator.logins[0][0].password == "smtp-secret"
    assert events.types() == ["SenderAccountCreated"]


def test_a_suspended_mailbox_is_stored_paused() -> None:
    service, _, _, _ = _service()
    assert (
        service.create_smtp_account(WORKSPACE, _request(suspended=True)).overall_status.value
        == "PAUSED"
    )


def test_a_mailbox_that_fails_is_refused_and_nothing_is_stored() -> None:
    service, store, events, _ = _service([auth_failure("imap")])
    with pytest.raises(ConnectionValidationFailed) as refused:
        service.create_smtp_account(WORKSPACE, _request())
    assert refused.value.body()["stage"] == "imap"
    assert store.inboxes == {}
    assert events.published == []


def test_on_validation_failure_store_keeps_it_disabled_with_its_errors() -> None:
    service, store, _, _ = _service([auth_failure("smtp")])
    created = service.create_smtp_account(WORKSPACE, _request(on_validation_failure="store"))
    assert created.overall_status.value == "DISABLED"
    assert created.connection_errors is not None
    assert created.connection_errors[0]["error_code"] == "AUTH_FAILED"
    assert store.get_inbox(WORKSPACE, created.inbox_id).health_score == 0


def test_an_address_the_workspace_has_is_refused_before_connecting() -> None:
    service, _, _, validator = _service()
    service.create_smtp_account(WORKSPACE, _request())
    with pytest.raises(DuplicateAddress):
        service.create_smtp_account(WORKSPACE, _request(email_address="OUTREACH@acme.test"))
    assert len(validator.logins) == 1


def test_the_same_address_in_another_workspace_is_fine() -> None:
    service, store, _, _ = _service()
    service.create_smtp_account(WORKSPACE, _request())
    service.create_smtp_account("ws-other", _request())
    assert len(store.inboxes) == 2


def _listing(store: FakeInboxStore) -> SenderAccountListing:
    lists, search = FakeInboxLists(store), FakeInboxSearch(store)
    return SenderAccountListing(lists, search, lambda: b"test-cursor-key")


def _seed(store: FakeInboxStore, count: int) -> None:
    vault = FakeVault()
    for index in range(count):
        store.create_inbox(
            WORKSPACE,
            stored_inbox(
                vault,
                inbox_id=f"inbox-{index:02d}",
                email_address=f"sender{index:02d}@{'alpha' if index % 2 else 'beta'}.test",
                overall_status="PAUSED" if index % 3 == 0 else "ACTIVE",
                health_score=(index * 37) % 100,
                created_at=f"2026-01-{index + 1:02d}T00:00:00Z",
            ),
        )


@pytest.mark.parametrize("sort_by", ["email_address", "created_at", "inbox_type", "health_score"])
@pytest.mark.parametrize("sort_order", ["asc", "desc"])
def test_pages_agree_with_a_brute_force_sort(sort_by: str, sort_order: str) -> None:
    # Given 23 inboxes
    _, store, _, _ = _service()
    service = _listing(store)
    _seed(store, 23)
    # When every page of 5 is read
    seen: list[str] = []
    for page in range(1, 6):
        query = ListQuery(page=page, limit=5, sort_by=sort_by, sort_order=sort_order)  # type: ignore[arg-type]
        listed = service.list(WORKSPACE, query)
        assert listed.pagination.total == 23
        assert listed.pagination.pages == 5
        seen.extend(a.inbox_id for a in listed.sender_accounts)

    # Then each inbox shows once, in the order a full sort gives (the id breaks ties; within
    # one type, creation orders)
    def key(inbox: Any) -> Any:
        value = getattr(inbox, sort_by)
        if sort_by == "inbox_type":
            return (value, inbox.created_at, inbox.inbox_id)
        return (value.lower() if sort_by == "email_address" else value, inbox.inbox_id)

    everything = sorted(store.inboxes.values(), key=key, reverse=sort_order == "desc")
    assert seen == [i.inbox_id for i in everything]


def test_filters_and_search_narrow_the_list() -> None:
    _, store, _, _ = _service()
    service = _listing(store)
    _seed(store, 12)
    paused = service.list(WORKSPACE, ListQuery(status="PAUSED"))  # type: ignore[arg-type]
    assert {a.overall_status.value for a in paused.sender_accounts} == {"PAUSED"}
    assert paused.pagination.total == 4
    alpha = service.list(WORKSPACE, ListQuery(search="ALPHA"))
    assert alpha.pagination.total == 6
    assert service.list("ws-other", ListQuery()).pagination.total == 0


def test_delete_removes_the_inbox_and_announces_it() -> None:
    service, store, events, _ = _service()
    created = service.create_smtp_account(WORKSPACE, _request())
    stored = StoredAccounts(store, events)
    assert stored.get(WORKSPACE, created.inbox_id).email_address == created.email_address
    stored.delete(WORKSPACE, created.inbox_id)
    assert store.inboxes == {}
    assert events.types()[-1] == "SenderAccountDeleted"
    with pytest.raises(NotFound):
        stored.delete(WORKSPACE, created.inbox_id)
