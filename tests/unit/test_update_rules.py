"""PATCH, driven with fakes: status transitions, field rules, the secret-presentation rule, and
credentials validated before anything is saved."""

from __future__ import annotations

from typing import Any

import pytest

from sender_accounts.accounts.models import UpdateSenderAccountRequest
from sender_accounts.accounts.update import UpdateService
from sender_accounts.errors import (
    ConnectionValidationFailed,
    FieldRuleViolated,
    InvalidStatusTransition,
    NotFound,
)
from tests.unit.fakes import (
    SETTINGS,
    FakeEvents,
    FakeInboxStore,
    FakeRenewal,
    FakeValidator,
    FakeVault,
    auth_failure,
)
from tests.unit.records import WORKSPACE, stored_inbox

VAULT = FakeVault()


def _service(**inbox: Any) -> tuple[UpdateService, FakeInboxStore, FakeEvents, FakeValidator]:
    store, events, validator = FakeInboxStore(), FakeEvents(), FakeValidator()
    store.create_inbox(WORKSPACE, stored_inbox(VAULT, **inbox))
    return (
        UpdateService(store, VAULT, events, SETTINGS, validator, None, FakeRenewal()),
        store,
        events,
        validator,
    )


def _patch(body: dict[str, Any]) -> UpdateSenderAccountRequest:
    return UpdateSenderAccountRequest.model_validate(body)


@pytest.mark.parametrize(
    ("start", "asked", "end"),
    [
        ("ACTIVE", "PAUSED", "PAUSED"),
        ("PAUSED", "ACTIVE", "ACTIVE"),
        ("ACTIVE", "ACTIVE", "ACTIVE"),
    ],
)
def test_active_and_paused_switch_freely(start: str, asked: str, end: str) -> None:
    # Given an inbox in `start`
    service, store, events, _ = _service(overall_status=start)
    # When the user asks for `asked`
    detail = service.update(WORKSPACE, "inbox-1", _patch({"status": asked}))
    # Then it is `end`, stored, and a change is announced only when there was one
    assert detail.overall_status.value == end
    assert store.get_inbox(WORKSPACE, "inbox-1").overall_status == end
    changed = [e for e in events.types() if e == "SenderAccountStatusChanged"]
    assert len(changed) == (0 if start == end else 1)


@pytest.mark.parametrize("asked", ["ACTIVE", "PAUSED"])
def test_a_disabled_inbox_cannot_be_switched_without_credentials(asked: str) -> None:
    service, store, events, validator = _service(overall_status="DISABLED")
    with pytest.raises(InvalidStatusTransition):
        service.update(WORKSPACE, "inbox-1", _patch({"status": asked}))
    assert store.get_inbox(WORKSPACE, "inbox-1").overall_status == "DISABLED"
    assert events.published == []
    assert validator.logins == []


def test_a_disabled_inbox_becomes_active_through_credentials_that_validate() -> None:
    service, _, events, validator = _service(overall_status="DISABLED")
    detail = service.update(WORKSPACE, "inbox-1", _patch({"imap_password": "fresh-password"}))
    assert detail.overall_status.value == "ACTIVE"
    assert len(validator.logins) == 1
    assert validator.logins[0][1].password == "fresh-password"
    assert "SenderAccountStatusChanged" in events.types()


def test_credentials_that_fail_change_nothing() -> None:
    # Given an inbox, and a server that refuses the new password
    service, store, events, validator = _service()
    validator.failures = [auth_failure("smtp")]
    before = store.get_inbox(WORKSPACE, "inbox-1")
    # When the password is changed
    with pytest.raises(ConnectionValidationFailed) as refused:
        service.update(WORKSPACE, "inbox-1", _patch({"smtp_password": "wrong", "daily_limit": 5}))
    # Then the answer names the stage and nothing was stored or announced
    assert refused.value.body()["error_code"] == "AUTH_FAILED"
    assert store.get_inbox(WORKSPACE, "inbox-1") == before
    assert events.published == []


@pytest.mark.parametrize(
    ("inbox_type", "limit", "allowed"),
    [
        ("GOOGLE_WORKSPACE", 2000, True),
        ("GOOGLE_WORKSPACE", 2001, False),
        ("OUTLOOK_365", 5000, True),
        ("OUTLOOK_365", 5001, False),
        ("CUSTOM_SMTP", 100_000, True),
        ("CUSTOM_SMTP", 100_001, False),
    ],
)
def test_daily_limit_stays_within_the_provider_maximum(
    inbox_type: str, limit: int, allowed: bool
) -> None:
    service, store, _, _ = _service(inbox_type=inbox_type)
    if allowed:
        assert (
            service.update(WORKSPACE, "inbox-1", _patch({"daily_limit": limit})).daily_limit
            == limit
        )
    else:
        with pytest.raises(FieldRuleViolated) as refused:
            service.update(WORKSPACE, "inbox-1", _patch({"daily_limit": limit}))
        assert refused.value.body()["detail"][0]["loc"] == ["body", "daily_limit"]
        assert store.get_inbox(WORKSPACE, "inbox-1").daily_limit == 50


@pytest.mark.parametrize(
    ("patch", "missing"),
    [
        ({"smtp_host": "192.0.2.10"}, "smtp_password"),
        ({"smtp_port": 2525}, "smtp_password"),
        ({"smtp_username": "someone-else"}, "smtp_password"),
        ({"smtp_security": "none"}, "smtp_password"),
        ({"smtp_use_tls": False}, "smtp_password"),
        ({"imap_host": "192.0.2.10"}, "imap_password"),
        ({"imap_port": 143}, "imap_password"),
        ({"imap_username": "someone-else"}, "imap_password"),
        ({"imap_use_ssl": False}, "imap_password"),
        ({"imap_security": "starttls"}, "imap_password"),
    ],
)
def test_a_moved_endpoint_needs_its_password(patch: dict[str, Any], missing: str) -> None:
    # Given an inbox whose passwords are stored
    service, _, events, validator = _service()
    opened_before = VAULT.opened
    # When its endpoint moves without the password
    with pytest.raises(FieldRuleViolated) as refused:
        service.update(WORKSPACE, "inbox-1", _patch(patch))
    # Then the missing password is named and nothing was validated, decrypted or changed
    assert refused.value.field == missing
    assert validator.logins == []
    assert VAULT.opened == opened_before
    assert events.published == []


@pytest.mark.parametrize(
    "patch",
    [
        {"smtp_use_tls": True},  # STARTTLS on 587 either way
        {"smtp_host": "smtp.acme.test"},  # the same host as stored
        {"imap_use_ssl": True},
        {"display_name": "New name"},
    ],
)
def test_unchanged_endpoints_need_no_password(patch: dict[str, Any]) -> None:
    service, _, _, _ = _service()
    assert service.update(WORKSPACE, "inbox-1", _patch(patch)).inbox_id == "inbox-1"


def test_stored_passwords_go_only_to_their_own_endpoints() -> None:
    # Given an inbox; When only the IMAP password changes
    service, _, _, validator = _service()
    service.update(WORKSPACE, "inbox-1", _patch({"imap_password": "new-imap"}))
    # Then SMTP is checked with its stored password at its stored endpoint
    smtp, imap = validator.logins[0]
    assert (smtp.host, smtp.port, smtp.username, smtp.password) == (
        "smtp.acme.test", 587, "outreach@acme.test", "stored-smtp"
    )  # fmt: skip
    assert (imap.host, imap.password) == ("imap.acme.test", "new-imap")


def test_settings_merge_and_are_announced() -> None:
    service, store, events, _ = _service()
    service.update(WORKSPACE, "inbox-1", _patch({"signature": "Jane", "bcc": "a@acme.test"}))
    service.update(WORKSPACE, "inbox-1", _patch({"reply_to": "r@acme.test"}))
    settings = store.get_inbox(WORKSPACE, "inbox-1").settings
    assert settings == {"signature": "Jane", "bcc": "a@acme.test", "reply_to": "r@acme.test"}
    updated = [d for name, d in events.published if name == "SenderAccountUpdated"]
    assert updated[-1]["changed_fields"] == ["settings"]


def test_another_workspaces_inbox_is_not_found() -> None:
    service, _, _, _ = _service()
    with pytest.raises(NotFound):
        service.update("ws-other", "inbox-1", _patch({"status": "PAUSED"}))


def test_an_empty_patch_changes_nothing() -> None:
    service, store, events, _ = _service()
    before = store.get_inbox(WORKSPACE, "inbox-1")
    service.update(WORKSPACE, "inbox-1", _patch({}))
    assert store.get_inbox(WORKSPACE, "inbox-1") == before
    assert events.published == []
