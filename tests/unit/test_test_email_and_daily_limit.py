"""Test emails, driven with fakes: the daily limit is reserved before sending and given back
when the send fails; the message goes to the stored endpoint with the stored password."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sender_accounts.errors import (
    ConnectionValidationFailed,
    DailyLimitReached,
    InboxNotActive,
    NotFound,
)
from sender_accounts.oauth.inbox_tokens import StoredLogins
from sender_accounts.sending.models import TestEmailRequest
from sender_accounts.sending.test_email import TestEmailService, seconds_to_next_utc_day
from tests.unit.fakes import SETTINGS, FakeInboxStore, FakeSes, FakeTokens, FakeTransport, FakeVault
from tests.unit.records import WORKSPACE, stored_inbox

VAULT = FakeVault()
REQUEST = TestEmailRequest.model_validate({"recipient_email": "prospect@example.test"})


def _service(
    transport: FakeTransport | None = None, **inbox: Any
) -> tuple[TestEmailService, FakeInboxStore, FakeTransport, FakeSes]:
    store, ses = FakeInboxStore(), FakeSes()
    store.create_inbox(WORKSPACE, stored_inbox(VAULT, **inbox))
    transport = transport or FakeTransport()
    return (
        TestEmailService(
            store, VAULT, SETTINGS, ses, transport, StoredLogins(VAULT, FakeTokens()), None
        ),
        store,
        transport,
        ses,
    )


def _count(store: FakeInboxStore) -> int:
    return store.inboxes[(WORKSPACE, "inbox-1")].emails_sent_today


def test_each_send_counts_once_until_the_limit() -> None:
    # Given an inbox with a daily limit of 2
    service, store, transport, _ = _service(daily_limit=2)
    # When three test emails are asked for
    service.send_test_email(WORKSPACE, "inbox-1", REQUEST)
    service.send_test_email(WORKSPACE, "inbox-1", REQUEST)
    with pytest.raises(DailyLimitReached) as refused:
        service.send_test_email(WORKSPACE, "inbox-1", REQUEST)
    # Then two went out, the third is refused with the time until the next UTC day
    assert len(transport.sent) == 2
    assert _count(store) == 2
    assert 0 < int(refused.value.headers()["Retry-After"]) <= 86400
    assert refused.value.status == 429


def test_a_failed_send_is_not_counted() -> None:
    service, store, _, _ = _service(FakeTransport(error=ConnectionRefusedError()))
    with pytest.raises(ConnectionValidationFailed) as failed:
        service.send_test_email(WORKSPACE, "inbox-1", REQUEST)
    assert failed.value.body()["error_code"] == "CONNECTION_FAILED"
    assert _count(store) == 0


def test_a_count_from_an_earlier_day_starts_again() -> None:
    service, store, transport, _ = _service(
        daily_limit=1, emails_sent_today=1, sent_day="2001-01-01"
    )
    service.send_test_email(WORKSPACE, "inbox-1", REQUEST)
    today = datetime.now(UTC).date().isoformat()
    assert (store.inboxes[(WORKSPACE, "inbox-1")].sent_day, _count(store)) == (today, 1)
    assert len(transport.sent) == 1


def test_the_message_goes_to_the_stored_endpoint_with_bcc_only_in_the_envelope() -> None:
    service, _, transport, _ = _service(
        settings={"bcc": "archive@acme.test", "reply_to": "r@acme.test"}
    )
    sent = service.send_test_email(WORKSPACE, "inbox-1", REQUEST)
    login, message, recipients = transport.sent[0]
    assert (login.host, login.port, login.password) == ("smtp.acme.test", 587, "stored-smtp")
    assert recipients == ["prospect@example.test", "archive@acme.test"]
    assert message["Bcc"] is None
    assert message["Reply-To"] == "r@acme.test"
    assert sent.message_id == message["Message-ID"]


def test_native_inboxes_send_through_ses() -> None:
    service, _, transport, ses = _service(inbox_type="COLDSEND", passwords_ciphertext=None)
    service.send_test_email(WORKSPACE, "inbox-1", REQUEST)
    assert transport.sent == []
    assert ses.sent[0]["Source"] == "outreach@acme.test"


def test_another_workspaces_inbox_sends_nothing() -> None:
    service, _, transport, _ = _service()
    with pytest.raises(NotFound):
        service.send_test_email("ws-other", "inbox-1", REQUEST)
    assert transport.sent == []


@pytest.mark.parametrize(
    ("now", "seconds"),
    [
        (datetime(2026, 11, 25, 23, 59, 59, tzinfo=UTC), 1),
        (datetime(2026, 11, 25, 0, 0, 0, tzinfo=UTC), 86400),
        (datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC), 43200),
    ],
)
def test_retry_after_is_the_time_to_the_next_utc_day(now: datetime, seconds: int) -> None:
    assert seconds_to_next_utc_day(now) == seconds


@pytest.mark.parametrize("status", ["PAUSED", "DISABLED"])
def test_an_inbox_that_is_not_active_sends_nothing(status: str) -> None:
    service, store, transport, _ = _service(overall_status=status)
    with pytest.raises(InboxNotActive) as refused:
        service.send_test_email(WORKSPACE, "inbox-1", REQUEST)
    assert (refused.value.status, refused.value.error_code) == (409, "INBOX_NOT_ACTIVE")
    assert status in str(refused.value)
    assert transport.sent == []
    assert _count(store) == 0
