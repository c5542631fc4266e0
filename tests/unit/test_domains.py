"""Workspace domains, driven with fakes: ownership by DNS token, status refreshed from SES on
every read, events on every change, deletion rules."""

from __future__ import annotations

import time

import pytest

from sender_accounts.domains.ownership import OwnershipCheck, ownership_record_name
from sender_accounts.domains.service import DomainService
from sender_accounts.errors import DomainInUse, DuplicateDomain, NotFound
from tests.unit.fakes import FakeDns, FakeDomainStore, FakeEvents, FakeSes
from tests.unit.records import WORKSPACE

NAME = "mail.acme.test"


def _service(
    mode: str = "dns",
) -> tuple[DomainService, FakeDomainStore, FakeSes, FakeDns, FakeEvents]:
    store, ses, dns, events = FakeDomainStore(), FakeSes(), FakeDns(), FakeEvents()
    ownership = OwnershipCheck(mode, dns)  # type: ignore[arg-type]
    return DomainService(store, ses, events, ownership), store, ses, dns, events


def _token_record(response_records: list[dict[str, str]]) -> dict[str, str]:
    return next(r for r in response_records if r["purpose"] == "OWNERSHIP")


def test_a_new_domain_is_pending_with_its_ownership_record() -> None:
    service, _, ses, _, events = _service()
    domain = service.create(WORKSPACE, NAME)
    assert domain.status.value == "PENDING"
    record = _token_record([r.model_dump() for r in domain.dns_records])
    assert record["name"] == f"_sender-accounts.{NAME}"
    assert record["value"].startswith("sender-accounts-verification=")
    assert ses.statuses == {}  # no SES identity before ownership
    assert events.types() == ["DomainStatusChanged"]


def test_the_token_in_dns_claims_the_name_and_registers_the_identity() -> None:
    # Given a pending domain whose token is then published
    service, store, ses, dns, events = _service()
    domain = service.create(WORKSPACE, NAME)
    record = _token_record([r.model_dump() for r in domain.dns_records])
    dns.records[record["name"]] = [record["value"]]
    # When it is read while SES still verifies the identity
    ses.statuses[NAME] = "Pending"
    read = service.get(WORKSPACE, domain.domain_id)
    # Then it proceeds to SES, owned by this workspace, with its DKIM records
    assert read.status.value == "DNS_PENDING"
    assert store.owners == {NAME: WORKSPACE}
    assert [r.purpose for r in read.dns_records].count("DKIM") == 3
    assert "DomainStatusChanged" in events.types()


def test_assume_mode_proves_ownership_at_once() -> None:
    service, store, ses, _, _ = _service("assume")
    ses.statuses[NAME] = "Success"
    domain = service.create(WORKSPACE, NAME)
    assert domain.status.value == "ACTIVE"
    assert store.owners == {NAME: WORKSPACE}


def test_a_second_workspace_never_owns_a_proven_name() -> None:
    service, store, ses, _, _ = _service("assume")
    ses.statuses[NAME] = "Success"
    service.create(WORKSPACE, NAME)
    theirs = service.create("ws-squatter", NAME)
    assert theirs.status.value == "PENDING"
    assert store.owners == {NAME: WORKSPACE}


def test_the_same_workspace_registers_a_name_once() -> None:
    service, _, _, _, _ = _service()
    service.create(WORKSPACE, NAME)
    with pytest.raises(DuplicateDomain):
        service.create(WORKSPACE, NAME)


@pytest.mark.parametrize(
    ("dns_values", "down"), [([], False), (["other-token"], False), ([], True)]
)
def test_without_its_own_token_a_domain_stays_pending(dns_values: list[str], down: bool) -> None:
    service, store, _, dns, _ = _service()
    domain = service.create(WORKSPACE, NAME)
    dns.records[ownership_record_name(NAME)] = dns_values
    dns.down = down
    assert service.get(WORKSPACE, domain.domain_id).status.value == "PENDING"
    assert store.owners == {}


@pytest.mark.parametrize(
    ("reported", "status"),
    [
        ("Success", "ACTIVE"),
        ("Failed", "FAILED"),
        ("Pending", "DNS_PENDING"),
        ("TemporaryFailure", "DNS_PENDING"),
        ("NotStarted", "DNS_PENDING"),
        (None, "FAILED"),
    ],
)
def test_status_follows_what_ses_reports(reported: str | None, status: str) -> None:
    # Given an owned domain
    service, _, ses, _, events = _service("assume")
    ses.statuses[NAME] = "Pending"
    domain = service.create(WORKSPACE, NAME)
    # When SES reports `reported` (None: the identity is gone)
    if reported is None:
        ses.statuses.pop(NAME)
    else:
        ses.statuses[NAME] = reported
    before = len(events.published)
    # Then every read shows it, and a change is announced once
    assert service.get(WORKSPACE, domain.domain_id).status.value == status
    assert service.get(WORKSPACE, domain.domain_id).status.value == status
    announced = len(events.published) - before
    assert announced == (0 if status == "DNS_PENDING" else 1)


def test_a_domain_in_use_cannot_be_deleted() -> None:
    service, store, ses, _, _ = _service("assume")
    ses.statuses[NAME] = "Success"
    domain = service.create(WORKSPACE, NAME)
    store.set(WORKSPACE, domain.domain_id, {"inbox_count": 1})
    with pytest.raises(DomainInUse):
        service.delete(WORKSPACE, domain.domain_id)
    assert ses.deleted == []


def test_deleting_a_pending_registration_leaves_the_owners_identity() -> None:
    service, store, ses, _, _ = _service("assume")
    ses.statuses[NAME] = "Success"
    service.create(WORKSPACE, NAME)
    squatted = service.create("ws-squatter", NAME)
    service.delete("ws-squatter", squatted.domain_id)
    assert ses.deleted == []
    assert store.owners == {NAME: WORKSPACE}


def test_deleting_an_owned_domain_releases_the_name_and_the_identity() -> None:
    service, store, ses, _, events = _service("assume")
    ses.statuses[NAME] = "Success"
    domain = service.create(WORKSPACE, NAME)
    assert service.delete(WORKSPACE, domain.domain_id) == NAME
    assert ses.deleted == [NAME]
    assert store.owners == {}
    assert events.published[-1][1]["new_status"] == "DELETED"
    with pytest.raises(NotFound):
        service.get(WORKSPACE, domain.domain_id)


def test_expired_registrations_are_gone_for_reads() -> None:
    service, store, _, _, _ = _service()
    domain = service.create(WORKSPACE, NAME)
    store.set(WORKSPACE, domain.domain_id, {"pending_until": int(time.time()) - 1})
    with pytest.raises(NotFound):
        service.get(WORKSPACE, domain.domain_id)
