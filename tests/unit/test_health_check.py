"""The health check use case, driven with fakes: what one check stores, answers and
publishes; the status rules as a check applies them; OAuth2 logins; native inboxes; a lost
race with another writer."""

from __future__ import annotations

from typing import Any

import pytest

from sender_accounts.common.statuses import InboxStatus
from sender_accounts.errors import ConcurrentUpdate, NotFound
from sender_accounts.health.health_check import HealthCheckService
from sender_accounts.mail.endpoints import AuthMechanism
from sender_accounts.mail.outcome import ErrorCode, StageFailure
from sender_accounts.oauth.inbox_tokens import StoredLogins
from sender_accounts.store.records import InboxChanges
from tests.unit.fakes import (
    SETTINGS,
    FakeDomainHealth,
    FakeEvents,
    FakeInboxStore,
    FakeTokens,
    FakeValidator,
    FakeVault,
    FakeZone,
    auth_failure,
    healthy_zone,
)
from tests.unit.records import WORKSPACE, stored_inbox

TIMEOUT = StageFailure("imap", ErrorCode.TIMEOUT, "The server did not answer in time")


class Rig:
    """A health check over fakes, and what it touched."""

    def __init__(
        self, zone: FakeZone | None = None, tokens: FakeTokens | None = None, **inbox: Any
    ) -> None:
        self.vault, self.store, self.events = FakeVault(), FakeInboxStore(), FakeEvents()
        self.validator, self.zone = FakeValidator(), zone or healthy_zone()
        self.tokens, self.domains = tokens or FakeTokens(), FakeDomainHealth()
        inbox.setdefault("email_address", "outreach@acme.test")
        inbox.setdefault("settings", {"dkim_selector": "s1"})
        self.store.create_inbox(WORKSPACE, stored_inbox(self.vault, **inbox))
        self.service = HealthCheckService(
            self.store, self.vault, self.events, SETTINGS, self.zone, None, lambda: self.domains,
            self.validator, StoredLogins(self.vault, self.tokens),
        )  # fmt: skip

    def check(self, inbox_id: str = "inbox-1", workspace_id: str = WORKSPACE) -> dict[str, Any]:
        """The answer as the client reads it."""
        return self.service.check(workspace_id, inbox_id).model_dump(mode="json")

    def stored(self) -> Any:
        return self.store.get_inbox(WORKSPACE, "inbox-1")

    def fail_with(self, *failures: StageFailure) -> None:
        self.validator.failures = list(failures)


def test_a_passing_check_stores_its_time_score_and_next_check() -> None:
    rig = Rig(health_score=40)
    answer = rig.check()
    stored = rig.stored()
    assert answer["cached"] is False
    assert answer["overall_status"] == stored.overall_status == "ACTIVE"
    assert stored.last_checked_at
    assert stored.last_success_at == stored.last_checked_at
    assert stored.next_check_at
    assert stored.next_check_at > stored.last_checked_at
    assert stored.health_score == answer["health_score"] > 40
    assert stored.consecutive_failures == 0
    assert stored.connection_errors == []


def test_the_check_uses_the_stored_passwords_at_the_stored_hosts() -> None:
    rig = Rig()
    rig.check()
    ((smtp, imap),) = rig.validator.logins
    assert (smtp.host, smtp.port, smtp.password) == ("smtp.acme.test", 587, "stored-smtp")
    assert (imap.host, imap.port, imap.password) == ("imap.acme.test", 993, "stored-imap")
    assert smtp.sender == "outreach@acme.test"


def test_a_second_check_within_the_interval_answers_the_first() -> None:
    rig = Rig()
    first = rig.check()
    second = rig.check()
    assert second["cached"] is True
    assert second["checked_at"] == first["checked_at"]
    assert len(rig.validator.logins) == 1


def test_a_refused_login_disables_an_active_inbox_at_once_and_says_so() -> None:
    rig = Rig()
    rig.fail_with(auth_failure("smtp"))
    answer = rig.check()
    assert answer["overall_status"] == "DISABLED"
    stored = rig.stored()
    assert stored.disconnected_at == stored.last_checked_at
    assert stored.last_success_at is None
    assert rig.events.types()[:2] == ["SenderAccountDisconnected", "SenderAccountStatusChanged"]
    lost = rig.events.published[0][1]
    assert lost["error_code"] == "AUTH_FAILED"
    assert lost["consecutive_failures"] == 1
    assert "hint" not in lost


@pytest.mark.parametrize(
    ("failing_checks", "status"), [(1, "ACTIVE"), (2, "ACTIVE"), (3, "DISABLED")]
)
def test_passing_failures_disable_at_the_third(failing_checks: int, status: str) -> None:
    rig = Rig()
    rig.fail_with(TIMEOUT)
    for _ in range(failing_checks):
        rig.store.inboxes[(WORKSPACE, "inbox-1")].last_checked_at = None  # due again
        rig.check()
    assert rig.stored().overall_status == status
    assert rig.stored().consecutive_failures == failing_checks


def test_a_disabled_inbox_that_logs_in_again_is_reconnected() -> None:
    rig = Rig(overall_status="DISABLED", consecutive_failures=4, disconnected_at="2026-11-01")
    rig.check()
    stored = rig.stored()
    assert (stored.overall_status, stored.consecutive_failures) == ("ACTIVE", 0)
    assert stored.disconnected_at is None
    assert rig.events.types()[:2] == ["SenderAccountReconnected", "SenderAccountStatusChanged"]


@pytest.mark.parametrize("status", ["PAUSED", "DISABLED"])
def test_failures_never_change_a_paused_or_disabled_status(status: str) -> None:
    rig = Rig(overall_status=status)
    rig.fail_with(auth_failure("imap"))
    rig.check()
    assert rig.stored().overall_status == status
    assert "SenderAccountStatusChanged" not in rig.events.types()


def test_the_failures_are_stored_per_protocol() -> None:
    rig = Rig()
    rig.fail_with(TIMEOUT)
    answer = rig.check()
    assert answer["imap"]["ok"] is False
    assert answer["imap"]["error_code"] == "TIMEOUT"
    assert answer["smtp"]["ok"] is True
    assert [e["error_code"] for e in rig.stored().connection_errors] == ["TIMEOUT"]


def test_dns_findings_come_from_the_inboxs_domain_and_selector() -> None:
    rig = Rig()
    answer = rig.check()
    assert ("outreach.acme.test", "MX") not in rig.zone.asked
    assert ("s1._domainkey.acme.test", "TXT") in rig.zone.asked
    assert answer["dns"]["spf"]["ok"] is True
    assert answer["dns"]["dmarc"]["ok"] is True


def test_a_domain_without_spf_or_dmarc_scores_lower() -> None:
    healthy, bare = Rig(), Rig(zone=FakeZone({("acme.test", "MX"): ["10 mx.acme.test."]}))
    assert bare.check()["health_score"] < healthy.check()["health_score"]
    assert bare.stored().dns_status["spf"]["ok"] is False


def test_a_resolver_that_does_not_answer_is_not_a_failure_of_the_mailbox() -> None:
    rig = Rig(zone=FakeZone(down=True))
    answer = rig.check()
    assert answer["overall_status"] == "ACTIVE"
    assert answer["dns"]["mx"]["ok"] is None


def test_a_falling_score_publishes_the_thresholds_it_crossed() -> None:
    rig = Rig(zone=FakeZone(), health_score=100)
    rig.fail_with(TIMEOUT)
    rig.check()
    moved = dict(rig.events.published)["SenderAccountHealthChanged"]
    assert moved["direction"] == "down"
    assert moved["thresholds_crossed"]
    assert moved["old_score"] == 100
    assert moved["new_score"] < 100


def test_an_oauth2_inbox_logs_in_with_its_access_token_at_its_apps_hosts() -> None:
    rig = Rig(auth_type="OAUTH2", oauth_app_id="app-1", passwords_ciphertext=None)
    rig.check()
    ((smtp, imap),) = rig.validator.logins
    assert smtp.mechanism is imap.mechanism is AuthMechanism.XOAUTH2
    assert smtp.password == imap.password == "access-token-1"
    assert (smtp.host, imap.host) == ("smtp.provider.test", "imap.provider.test")
    assert rig.tokens.uses == 1


def test_an_oauth2_inbox_whose_refresh_is_refused_fails_both_logins_and_is_disabled() -> None:
    refused = StageFailure("oauth", ErrorCode.AUTH_FAILED, "invalid_grant: consent revoked")
    rig = Rig(
        tokens=FakeTokens(refused=refused),
        auth_type="OAUTH2", oauth_app_id="app-1", passwords_ciphertext=None,
    )  # fmt: skip
    answer = rig.check()
    assert rig.validator.logins == []  # no token, no login
    assert answer["overall_status"] == "DISABLED"
    assert {e["stage"] for e in rig.stored().connection_errors} == {"smtp", "imap"}
    assert answer["dns"]["spf"]["ok"] is True  # DNS is still looked at


def test_a_native_inbox_is_checked_through_its_domain_not_a_login() -> None:
    rig = Rig(inbox_type="COLDSEND", domain_id="dom-1", passwords_ciphertext=None)
    rig.domains.status = "FAILED"
    answer = rig.check()
    assert rig.validator.logins == []
    assert answer["overall_status"] == "DISABLED"
    assert rig.stored().connection_errors[0]["error_code"] == "DOMAIN_NOT_VERIFIED"


def test_a_native_inbox_on_a_verified_domain_stays_active() -> None:
    rig = Rig(inbox_type="COLDSEND", domain_id="dom-1", passwords_ciphertext=None)
    assert rig.check()["overall_status"] == "ACTIVE"
    factors = {f["factor"]: f for f in rig.stored().health_factors}
    assert factors["SES_VERIFICATION"]["ok"] is True


def test_a_check_that_loses_a_race_decides_again_on_the_newer_inbox() -> None:
    rig = Rig()
    rig.fail_with(auth_failure("smtp"))
    real_update, raced = rig.store.update_inbox, list[bool]()

    def update_after_a_pause(workspace_id: str, before: Any, changes: InboxChanges) -> Any:
        if not raced:  # a user pauses the inbox while the check runs
            raced.append(True)
            paused = rig.store.inboxes[(WORKSPACE, "inbox-1")]
            rig.store.inboxes[(WORKSPACE, "inbox-1")] = paused.model_copy(
                update={"overall_status": InboxStatus.PAUSED, "revision": paused.revision + 1}
            )
        return real_update(workspace_id, before, changes)

    rig.store.update_inbox = update_after_a_pause  # type: ignore[assignment]
    rig.check()
    assert rig.stored().overall_status == "PAUSED"  # the failure does not override the pause


def test_a_check_that_always_loses_gives_up_with_concurrent_update() -> None:
    rig = Rig()

    def always_raced(workspace_id: str, before: Any, changes: InboxChanges) -> Any:
        raise ConcurrentUpdate()

    rig.store.update_inbox = always_raced  # type: ignore[assignment]
    with pytest.raises(ConcurrentUpdate):
        rig.check()


def test_another_workspaces_inbox_is_not_found() -> None:
    rig = Rig()
    with pytest.raises(NotFound):
        rig.check(workspace_id="ws-other")
    assert rig.validator.logins == []


def test_a_native_inbox_whose_domain_is_pending_keeps_its_status_but_says_why() -> None:
    rig = Rig(inbox_type="COLDSEND", domain_id="dom-1", passwords_ciphertext=None)
    rig.domains.status = "DNS_PENDING"
    answer = rig.check()
    assert answer["overall_status"] == "ACTIVE"
    assert rig.stored().connection_errors[0]["error_code"] == "DOMAIN_VERIFICATION_PENDING"


def test_an_inbox_health_disables_stops_warming_up_until_the_user_enables_it_again() -> None:
    rig = Rig(settings={"dkim_selector": "s1", "warmup": {"enabled": True, "pool": "workspace"}})
    rig.fail_with(auth_failure("imap"))
    rig.check()
    stored = rig.stored()
    assert stored.overall_status == "DISABLED"
    assert (stored.warmup_state, stored.warmup_pause_reason) == (
        "PAUSED_BY_SAFETY",
        "INBOX_DISABLED",
    )
    assert stored.settings["warmup"] == {"enabled": False, "pool": "workspace"}  # the rest kept
    paused = [d for t, d in rig.events.published if t == "WarmupPaused"]
    assert [p["reason"] for p in paused] == ["INBOX_DISABLED"]


def test_warmup_reputation_becomes_a_factor_once_it_has_data() -> None:
    rig = Rig(warmup_reputation=62.5)
    factors = {f["factor"]: f for f in rig.check()["health_factors"]}
    assert factors["WARMUP"]["ok"] is False
    assert "62.5 %" in factors["WARMUP"]["detail"]
    assert "WARMUP" not in {f["factor"] for f in Rig().check()["health_factors"]}
