"""The bulk validator, driven with fakes from the intake's own queue messages: each row
validated with its own passwords, decided once, created or failed as the single create would,
and the job completed once with one event."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from sender_accounts.bulk.intake import JOB_TYPE, BulkIntakeService, job_progress
from sender_accounts.bulk.models import BulkCreateSmtpAccountsRequest
from sender_accounts.bulk.validator import BulkValidator
from sender_accounts.common.events import LifecycleEvent
from sender_accounts.errors import NotFound
from sender_accounts.store.bulk_jobs import BulkItemMessage
from tests.unit.fakes import (
    SETTINGS,
    FakeEvents,
    FakeInboxStore,
    FakeJobs,
    FakeSqs,
    FakeValidator,
    FakeVault,
    auth_failure,
)
from tests.unit.records import WORKSPACE, stored_inbox


def _row(address: str, **fields: Any) -> dict[str, Any]:
    return {
        "email_address": address, "display_name": "Row", "inbox_type": "CUSTOM_SMTP",
        "smtp_host": "smtp.acme.test", "smtp_port": 587, "smtp_username": address,
        "smtp_password": f"smtp-{address}", "imap_host": "imap.acme.test", "imap_port": 993,
        "imap_username": address, "imap_password": f"imap-{address}", **fields,
    }  # fmt: skip


class Rig:
    """The intake and the validator over one job store, one inbox store and one queue."""

    def __init__(self) -> None:
        self.store, self.vault, self.events = FakeInboxStore(), FakeVault(), FakeEvents()
        self.jobs, self.sqs = FakeJobs(store=self.store), FakeSqs()
        self.validator = FakeValidator()
        self.intake = BulkIntakeService(self.jobs, self.vault, self.sqs, "queue", self.events)
        self.bulk = BulkValidator(
            self.jobs, self.vault, self.events, SETTINGS, self.validator, None
        )

    def submit(self, *rows: dict[str, Any]) -> str:
        request = BulkCreateSmtpAccountsRequest.model_validate({"inboxes": list(rows)})
        return self.intake.create_job(WORKSPACE, request).job_id

    def messages(self) -> list[BulkItemMessage]:
        return [BulkItemMessage.model_validate_json(body) for body in self.sqs.messages]

    def run(self, messages: list[BulkItemMessage] | None = None) -> list[tuple[str, Any]]:
        """One batch: every message processed, then the batch finished; its events as sent."""
        outbox: list[LifecycleEvent] = []
        batch = self.messages() if messages is None else messages
        for message in batch:
            asyncio.run(self.bulk.process(message, outbox))
        self.bulk.finish_batch({m.job_id for m in batch}, outbox)
        return [(event.detail_type, event.event_detail()) for event in outbox]

    def rows(self, job_id: str) -> dict[int, Any]:
        return {r.row: r for r in self.jobs.rows(job_id)}


def test_each_row_is_validated_with_its_own_passwords_and_created() -> None:
    rig = Rig()
    job_id = rig.submit(_row("a@acme.test"), _row("b@acme.test"))
    rig.run()
    logins = {smtp.username: (smtp.password, imap.password) for smtp, imap in rig.validator.logins}
    assert logins == {
        "a@acme.test": ("smtp-a@acme.test", "imap-a@acme.test"),
        "b@acme.test": ("smtp-b@acme.test", "imap-b@acme.test"),
    }
    rows = rig.rows(job_id)
    assert [rows[0].status, rows[1].status] == ["SUCCESS", "SUCCESS"]
    stored = rig.store.get_inbox(WORKSPACE, str(rows[0].inbox_id))
    assert stored.email_address == "a@acme.test"
    assert stored.overall_status == "ACTIVE"


def test_the_stored_inbox_opens_with_the_rows_passwords_under_its_own_context() -> None:
    rig = Rig()
    job_id = rig.submit(_row("a@acme.test"))
    rig.run()
    inbox_id = str(rig.rows(job_id)[0].inbox_id)
    stored = rig.store.get_inbox(WORKSPACE, inbox_id)
    opened = rig.vault.open(bytes(stored.passwords_ciphertext or b""), WORKSPACE, inbox_id)
    assert (opened.smtp, opened.imap) == ("smtp-a@acme.test", "imap-a@acme.test")


def test_a_failed_validation_fails_its_row_with_the_first_error_and_stores_nothing() -> None:
    rig = Rig()
    job_id = rig.submit(_row("a@acme.test"))
    rig.validator.failures = [auth_failure("smtp")]
    rig.run()
    row = rig.rows(job_id)[0]
    assert (row.status, row.error_code) == ("FAILED", "AUTH_FAILED")
    assert rig.store.inboxes == {}


def test_store_on_failure_keeps_the_row_as_a_disabled_inbox() -> None:
    rig = Rig()
    job_id = rig.submit(_row("a@acme.test", on_validation_failure="store"))
    rig.validator.failures = [auth_failure("imap")]
    rig.run()
    row = rig.rows(job_id)[0]
    assert row.status == "SUCCESS"
    stored = rig.store.get_inbox(WORKSPACE, str(row.inbox_id))
    assert stored.overall_status == "DISABLED"
    assert [e["error_code"] for e in stored.connection_errors] == ["AUTH_FAILED"]


def test_an_address_created_meanwhile_fails_its_row_as_a_duplicate() -> None:
    rig = Rig()
    job_id = rig.submit(_row("a@acme.test"))
    rig.store.create_inbox(WORKSPACE, stored_inbox(rig.vault, email_address="A@acme.test"))
    rig.run()
    row = rig.rows(job_id)[0]
    assert (row.status, row.error_code) == ("FAILED", "DUPLICATE")
    assert len(rig.store.inboxes) == 1


def test_a_redelivered_message_changes_nothing() -> None:
    rig = Rig()
    job_id = rig.submit(_row("a@acme.test"))
    first = rig.run()
    again = rig.run()
    assert len(rig.store.inboxes) == 1
    assert [name for name, _ in first] == ["SenderAccountCreated"]
    assert again == []
    assert rig.jobs.get_job(WORKSPACE, job_id, JOB_TYPE).processed_count == 1


def test_the_created_event_names_the_job_and_holds_no_secret() -> None:
    rig = Rig()
    job_id = rig.submit(_row("a@acme.test"))
    ((name, detail),) = rig.run()
    assert name == "SenderAccountCreated"
    assert detail["job_id"] == job_id
    assert detail["auth_type"] == "PASSWORD"
    assert "smtp-a@acme.test" not in str(detail)
    assert "imap-a@acme.test" not in str(detail)


@pytest.mark.parametrize("batches", [1, 2, 3])
def test_the_job_completes_once_with_its_counts_whatever_the_batching(batches: int) -> None:
    rig = Rig()
    job_id = rig.submit(*[_row(f"r{i}@acme.test") for i in range(6)])
    rig.validator.failures = []
    messages = rig.messages()
    size = -(-len(messages) // batches)
    for start in range(0, len(messages), size):
        rig.run(messages[start : start + size])
    rig.run(messages)  # everything redelivered after completion
    completed = [d for n, d in rig.events.published if n == "BulkJobCompleted"]
    assert len(completed) == 1
    assert completed[0]["job_id"] == job_id
    assert completed[0]["success_count"] == 6
    assert rig.jobs.get_job(WORKSPACE, job_id, JOB_TYPE).status == "COMPLETED"


def test_a_job_is_not_completed_while_a_row_is_pending() -> None:
    rig = Rig()
    job_id = rig.submit(_row("a@acme.test"), _row("b@acme.test"))
    rig.run(rig.messages()[:1])
    assert rig.jobs.get_job(WORKSPACE, job_id, JOB_TYPE).status != "COMPLETED"
    assert "BulkJobCompleted" not in rig.events.types()


def test_rows_of_two_workspaces_in_one_batch_stay_in_their_own_workspace() -> None:
    rig = Rig()
    mine = rig.submit(_row("a@acme.test"))
    request = BulkCreateSmtpAccountsRequest.model_validate({"inboxes": [_row("a@acme.test")]})
    theirs = rig.intake.create_job("ws-other", request).job_id
    rig.run()
    assert rig.rows(mine)[0].status == rig.rows(theirs)[0].status == "SUCCESS"
    assert {ws for ws, _ in rig.store.inboxes} == {WORKSPACE, "ws-other"}


def test_progress_shows_each_rows_outcome_and_only_existing_inboxes() -> None:
    rig = Rig()
    job_id = rig.submit(_row("a@acme.test"), _row("b@acme.test", smtp_port=2525))
    outbox: list[LifecycleEvent] = []
    first, second = rig.messages()
    asyncio.run(rig.bulk.process(first, outbox))
    rig.validator.failures = [auth_failure("smtp")]
    asyncio.run(rig.bulk.process(second, outbox))
    rig.bulk.finish_batch({job_id}, outbox)
    progress = job_progress(rig.jobs, rig.events, WORKSPACE, job_id)
    results = {r.email_address: r for r in progress.results}
    assert results["a@acme.test"].status.value == "SUCCESS"
    assert results["a@acme.test"].inbox_id is not None
    assert results["b@acme.test"].status.value == "FAILED"
    assert results["b@acme.test"].inbox_id is None  # reserved, never created: not shown
    assert progress.status.value == "COMPLETED"


def test_another_workspace_cannot_read_a_jobs_progress() -> None:
    rig = Rig()
    job_id = rig.submit(_row("a@acme.test"))
    with pytest.raises(NotFound):
        job_progress(rig.jobs, rig.events, "ws-other", job_id)
