"""Bulk intake and bulk deletion, driven with fakes: duplicate rows, addresses the workspace
has, rows decided once, and what a queue message carries."""

from __future__ import annotations

from typing import Any

import pytest

from sender_accounts.bulk.delete import BulkDeleteService, DeleteRowMessage
from sender_accounts.bulk.intake import BulkIntakeService
from sender_accounts.bulk.models import BulkCreateSmtpAccountsRequest, BulkDeleteRequest
from sender_accounts.common.events import LifecycleEvent
from sender_accounts.errors import ConfirmationRequired, DependencyUnavailable
from tests.unit.fakes import FakeEvents, FakeInboxStore, FakeJobs, FakeSqs, FakeVault
from tests.unit.records import WORKSPACE, stored_inbox


def _row(address: str) -> dict[str, Any]:
    return {
        "email_address": address, "display_name": "Row", "inbox_type": "CUSTOM_SMTP",
        "smtp_host": "smtp.acme.test", "smtp_port": 587, "smtp_username": address,
        "smtp_password": "row-secret-1", "imap_host": "imap.acme.test", "imap_port": 993,
        "imap_username": address, "imap_password": "row-secret-2",
    }  # fmt: skip


def _intake(
    taken: set[str] | None = None, sqs: FakeSqs | None = None
) -> tuple[BulkIntakeService, FakeJobs, FakeSqs, FakeEvents]:
    jobs, queue, events = FakeJobs(taken), sqs or FakeSqs(), FakeEvents()
    return (
        BulkIntakeService(jobs, FakeVault(), queue, "queue", events),
        jobs,
        queue,
        events,
    )


def _bulk(*addresses: str) -> BulkCreateSmtpAccountsRequest:
    return BulkCreateSmtpAccountsRequest.model_validate({"inboxes": [_row(a) for a in addresses]})


def test_a_repeated_address_fails_at_once_and_names_its_first_row() -> None:
    # Given a job whose third row repeats the first (in another case)
    service, jobs, sqs, _ = _intake()
    # When it is accepted
    accepted = service.create_job(WORKSPACE, _bulk("a@acme.test", "b@acme.test", "A@ACME.test"))
    # Then two rows are queued and the repeat failed as a duplicate of row 0
    rows = {r.row: r for r in jobs.row_records.values()}
    assert [rows[i].status for i in range(3)] == ["PENDING", "PENDING", "FAILED"]
    assert rows[2].error_code == "DUPLICATE"
    assert "row 0" in (rows[2].error or "")
    assert len(sqs.messages) == 2
    assert accepted.status.value == "PENDING"


def test_an_address_the_workspace_has_fails_at_once() -> None:
    service, jobs, sqs, _ = _intake(taken={"b@acme.test"})
    service.create_job(WORKSPACE, _bulk("a@acme.test", "b@acme.test"))
    failed = [r for r in jobs.row_records.values() if r.status == "FAILED"]
    assert [r.email_address for r in failed] == ["b@acme.test"]
    assert len(sqs.messages) == 1


def test_a_job_with_nothing_to_queue_completes_at_once() -> None:
    service, jobs, sqs, events = _intake(taken={"a@acme.test"})
    accepted = service.create_job(WORKSPACE, _bulk("a@acme.test", "A@acme.test"))
    assert accepted.status.value == "COMPLETED"
    assert sqs.messages == []
    assert events.types() == ["BulkJobCompleted"]
    job = next(iter(jobs.jobs.values()))
    assert (job.processed_count, job.failed_count) == (2, 2)


def test_queue_messages_carry_sealed_passwords_only() -> None:
    service, _, sqs, _ = _intake()
    service.create_job(WORKSPACE, _bulk("a@acme.test"))
    assert "row-secret" not in sqs.messages[0]
    assert '"passwords_ciphertext"' in sqs.messages[0]


def test_a_queue_that_refuses_fails_the_job_with_503() -> None:
    service, jobs, _, _ = _intake(sqs=FakeSqs(failing={"0"}))
    with pytest.raises(DependencyUnavailable):
        service.create_job(WORKSPACE, _bulk("a@acme.test"))
    assert next(iter(jobs.jobs.values())).status == "FAILED"


def _deleter() -> tuple[BulkDeleteService, FakeJobs, FakeInboxStore, FakeSqs]:
    store, sqs = FakeInboxStore(), FakeSqs()
    jobs = FakeJobs(store=store)
    return (
        BulkDeleteService(jobs, store, sqs, "queue", FakeEvents()),
        jobs,
        store,
        sqs,
    )


def test_bulk_delete_needs_confirmation() -> None:
    service, jobs, _, sqs = _deleter()
    with pytest.raises(ConfirmationRequired):
        service.create_job(WORKSPACE, BulkDeleteRequest(inbox_ids=["a"], confirm_deletion=False))
    assert jobs.jobs == {}
    assert sqs.messages == []


def test_bulk_delete_outcomes_deleted_skipped_and_repeated() -> None:
    # Given one inbox of this workspace and one of another
    service, jobs, store, sqs = _deleter()
    vault = FakeVault()
    store.create_inbox(WORKSPACE, stored_inbox(vault, inbox_id="mine"))
    store.create_inbox("ws-other", stored_inbox(vault, inbox_id="theirs"))
    # When a job lists mine twice, theirs, and an unknown id
    request = BulkDeleteRequest(
        inbox_ids=["mine", "theirs", "mine", "ghost"], confirm_deletion=True
    )
    service.create_job(WORKSPACE, request)
    outbox: list[LifecycleEvent] = []
    for body in sqs.messages:
        message = DeleteRowMessage.model_validate_json(body)
        service.process(message, outbox)
        service.process(message, outbox)  # redelivered: changes nothing
    # Then mine is deleted once, theirs is untouched, the repeat and the unknown are skipped
    statuses = [jobs.row_records[key].status for key in sorted(jobs.row_records)]
    assert statuses == ["DELETED", "SKIPPED", "SKIPPED", "SKIPPED"]
    assert jobs.deleted == ["mine"]
    assert (WORKSPACE, "mine") not in store.inboxes
    assert ("ws-other", "theirs") in store.inboxes
    assert [event.detail_type for event in outbox] == ["SenderAccountDeleted"]
    job = next(iter(jobs.jobs.values()))
    assert (job.deleted_count, job.skipped_count, job.processed_count) == (1, 3, 4)
