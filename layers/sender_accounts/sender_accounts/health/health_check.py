"""Checking a stored mailbox now: its logins with the stored credentials (only ever to the
endpoint they were stored with), its domain's DNS, the status rules, the score, the events.

One use case serves the check endpoint, bulk checks and scheduled monitoring. Its connections
hold per-host slots (store/host_slots.py); the write is conditional on the inbox as read, and
a check that loses a race re-reads and decides again from what the winner wrote.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol

from sender_accounts.accounts.connection_capacity import (
    ConnectionCapacity,
    Purpose,
    bounded_connections,
)
from sender_accounts.accounts.connection_validation import ConnectionValidator, validate_connection
from sender_accounts.accounts.inbox_use_case import InboxUseCase
from sender_accounts.adapters.ports import DnsRecords, EventBus, SecretVault
from sender_accounts.common.check_schedule import next_check_at
from sender_accounts.common.clock import utc_now
from sender_accounts.common.events import (
    LifecycleEvent,
    SenderAccountDisconnected,
    SenderAccountEvent,
    SenderAccountHealthChanged,
    SenderAccountReconnected,
    SenderAccountStatusChanged,
    WarmupPaused,
)
from sender_accounts.common.statuses import PROVIDER_MAX_DAILY_LIMIT, InboxStatus, InboxType
from sender_accounts.config import Settings
from sender_accounts.errors import ConcurrentUpdate
from sender_accounts.health.dns_checks import inspect_domain, selectors_for
from sender_accounts.health.factors import Factor, score, thresholds_crossed
from sender_accounts.health.models import CheckResponse
from sender_accounts.health.observation import Observation, check_answer, ses_failure
from sender_accounts.health.status_rules import decide, first_failure
from sender_accounts.mail.endpoints import detected_modes
from sender_accounts.mail.operation_deadline import operation_deadline
from sender_accounts.mail.outcome import StageFailure
from sender_accounts.oauth.inbox_tokens import RefreshFailed, StoredLogins
from sender_accounts.store.ports import Inboxes
from sender_accounts.store.records import InboxChanges, InboxRecord
from sender_accounts.store.warmup_members import safety_pause

WRITE_ATTEMPTS = 5


class DomainHealth(Protocol):
    """A native inbox's domain as SES reports it: verification status and DKIM."""

    def domain_status(self, workspace_id: str, domain_id: str) -> tuple[str, bool | None]: ...


class HealthCheckService(InboxUseCase):
    def __init__(
        self,
        repository: Inboxes,
        vault: SecretVault,
        events: EventBus,
        settings: Settings,
        lookup: DnsRecords,
        capacity: ConnectionCapacity | None,
        domains: Callable[[], DomainHealth],
        validator: ConnectionValidator,
        logins: StoredLogins,
    ) -> None:
        """`capacity`: the bounds on mail connections (none: unbounded); `domains`: native
        inboxes' SES side, asked for on the first check of a native inbox (checking a connected
        mailbox never loads it); `logins`: how stored credentials become logins (OAuth2
        refreshes included)."""
        self._logins = logins
        super().__init__(repository, vault, events, settings, validator, capacity)
        self._lookup = lookup
        self._domains = domains

    def check(self, workspace_id: str, inbox_id: str, queued: bool = False) -> CheckResponse:
        """The check answer; within CHECK_MIN_INTERVAL_SECONDS of the last check, that one.
        `queued`: queue work, which waits longer for a connection slot than a request."""
        inbox = self._repository.get_inbox(workspace_id, inbox_id)
        if self._recent(inbox):
            return check_answer(inbox, cached=True)
        observation = self._observe(workspace_id, inbox, queued)
        return check_answer(self._record(workspace_id, inbox, observation), cached=False)

    def _recent(self, inbox: InboxRecord) -> bool:
        if not inbox.last_checked_at:
            return False
        age = datetime.now(UTC) - datetime.fromisoformat(inbox.last_checked_at)
        return age.total_seconds() < self._settings.check_min_interval_seconds

    # Looking ---------------------------------------------------------------------------------

    def _observe(self, workspace_id: str, inbox: InboxRecord, queued: bool) -> Observation:
        domain = inbox.email_address.rsplit("@", 1)[1].lower()
        if inbox.domain_id:
            return self._observe_native(workspace_id, inbox, domain)
        selectors = selectors_for(inbox.inbox_type, inbox.settings)
        # A token refresh and the logins share one validation deadline; the wait for a host
        # slot in between is bounded by itself.
        started = time.monotonic()
        try:
            with operation_deadline(self._settings.validation_deadline_seconds):
                smtp, imap, _secrets = self._logins.logins(workspace_id, inbox)
        except RefreshFailed as failed:  # no token, no login: both protocols fail with it
            findings = asyncio.run(inspect_domain(self._lookup, domain, selectors))
            failures = [replace(failed.failure, stage=stage) for stage in ("smtp", "imap")]
            return Observation(utc_now(), failures, findings)
        refreshing = time.monotonic() - started

        async def admitted_logins() -> list[StageFailure]:
            cfg, logins = self._settings, (smtp, imap)
            # The mail servers' slots are held while the logins run, not while DNS answers.
            async with bounded_connections(
                self._capacity, workspace_id, Purpose.CHECK, logins, cfg, queued
            ):
                # The wait for the slots is bounded by itself, not by the check's deadline.
                with operation_deadline(cfg.validation_deadline_seconds - refreshing):
                    return await validate_connection(smtp, imap, cfg, self._validator)

        async def look() -> Observation:
            failures, findings = await asyncio.gather(
                admitted_logins(), inspect_domain(self._lookup, domain, selectors)
            )
            detected = {name: mode.value for name, mode in detected_modes(smtp, imap).items()}
            return Observation(utc_now(), failures, findings, detected_modes=detected)

        return asyncio.run(look())

    def _observe_native(self, workspace_id: str, inbox: InboxRecord, domain: str) -> Observation:
        assert inbox.domain_id is not None
        status, dkim = self._domains().domain_status(workspace_id, inbox.domain_id)
        failure = ses_failure(status)
        verification = Factor(
            "SES_VERIFICATION",
            failure is None,
            failure.detail if failure else "SES verifies the domain",
        )
        dkim_detail = {True: "SES DKIM verified", False: "SES DKIM not verified"}
        dkim_factor = Factor(
            "DKIM", dkim, "SES did not answer" if dkim is None else dkim_detail[dkim]
        )
        findings = asyncio.run(inspect_domain(self._lookup, domain, (), with_dkim=False))
        findings = type(findings)(findings.domain, (*findings.factors, dkim_factor))
        return Observation(utc_now(), [failure] if failure else [], findings, verification)

    # Recording -------------------------------------------------------------------------------

    def _record(
        self, workspace_id: str, inbox: InboxRecord, observation: Observation
    ) -> InboxRecord:
        for _attempt in range(WRITE_ATTEMPTS):
            changes = self._changes(inbox, observation)
            try:
                updated = self._repository.update_inbox(workspace_id, inbox, changes)
            except ConcurrentUpdate:  # another check or a user's change won: decide again
                inbox = self._repository.get_inbox(workspace_id, inbox.inbox_id)
                continue
            self._publish(workspace_id, inbox, updated, observation)
            return updated
        raise ConcurrentUpdate()

    def _changes(self, inbox: InboxRecord, observation: Observation) -> InboxChanges:
        verdict = decide(inbox.overall_status, inbox.consecutive_failures, observation.failures)
        maximum = PROVIDER_MAX_DAILY_LIMIT[InboxType(inbox.inbox_type)]
        factors = observation.factors(inbox, verdict.consecutive_failures, maximum)
        now = observation.checked_at
        changes: dict[str, Any] = {
            **observation.statuses(),
            "overall_status": verdict.status,
            "consecutive_failures": verdict.consecutive_failures,
            "health_score": score(factors),
            "health_factors": [f.as_dict() for f in factors],
            "dns_status": observation.dns.as_dict(),
            "connection_errors": [f.as_dict() for f in observation.failures],
            "last_checked_at": now,
            "next_check_at": next_check_at(now),
            "updated_at": now,
            **observation.detected_modes,
        }
        if not observation.failures:
            changes["last_success_at"] = now
        if verdict.disconnects(inbox.overall_status):
            changes["disconnected_at"] = now
            if (inbox.settings.get("warmup") or {}).get("enabled"):
                changes.update(safety_pause(dict(inbox.settings), "INBOX_DISABLED"))
        if verdict.reconnects(inbox.overall_status):
            changes["disconnected_at"] = None
        return InboxChanges.model_validate(changes)

    def _publish(
        self, workspace_id: str, before: InboxRecord, after: InboxRecord, seen: Observation
    ) -> None:
        base = SenderAccountEvent(
            workspace_id=workspace_id, inbox_id=after.inbox_id, email_address=after.email_address
        ).model_dump()
        events: list[LifecycleEvent] = []
        old, new = before.overall_status, after.overall_status
        if old != new:
            if new == InboxStatus.DISABLED:
                if after.warmup_pause_reason == "INBOX_DISABLED" and before.warmup_state is None:
                    events.append(WarmupPaused(**base, reason="INBOX_DISABLED"))
                failure = first_failure(seen.failures)
                events.append(
                    SenderAccountDisconnected(
                        **base,
                        consecutive_failures=after.consecutive_failures,
                        stage=failure.stage,
                        error_code=failure.error_code,
                        detail=failure.detail,
                        server_reply=failure.server_reply,
                        account_id=after.account_id,
                    )
                )
            else:
                events.append(SenderAccountReconnected(**base))
            events.append(
                SenderAccountStatusChanged(
                    **base, old_status=old, new_status=new, reason="HEALTH_CHECK"
                )
            )
        crossed = thresholds_crossed(before.health_score, after.health_score)
        if crossed:
            up = after.health_score > before.health_score
            events.append(
                SenderAccountHealthChanged(
                    **base,
                    old_score=before.health_score,
                    new_score=after.health_score,
                    thresholds_crossed=crossed,
                    direction="up" if up else "down",
                )
            )
        self._events.publish_all(events)
