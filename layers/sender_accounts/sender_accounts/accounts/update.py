"""Changing a connected account: display name, daily limit, SmartLead settings, pause and
resume, and new credentials, validated before anything is saved (the old ones stay on failure)
and under the secret-presentation rule (credential_changes.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from sender_accounts.accounts.credential_changes import (
    connection_overrides,
    endpoint,
    moved_endpoints,
)
from sender_accounts.accounts.inbox_use_case import InboxUseCase
from sender_accounts.accounts.models import (
    PROVIDER_MAX_DAILY_LIMIT,
    InboxStatus,
    InboxType,
    SenderAccountDetail,
    UpdateSenderAccountRequest,
)
from sender_accounts.accounts.views import public_detail
from sender_accounts.accounts.warmup_changes import lifted_pause, merged_settings, warmup_events
from sender_accounts.adapters.password_vault import MailboxPasswords
from sender_accounts.adapters.ports import EventBus, SecretVault
from sender_accounts.common.clock import utc_now
from sender_accounts.common.events import (
    LifecycleEvent,
    SenderAccountEvent,
    SenderAccountStatusChanged,
    SenderAccountUpdated,
)
from sender_accounts.common.mail_hosts import HOSTS_OF_THE_APP, MAIL_HOST_FIELDS
from sender_accounts.config import Settings
from sender_accounts.errors import (
    ConnectionValidationFailed,
    FieldRuleViolated,
    InvalidStatusTransition,
)
from sender_accounts.mail.endpoints import detected_modes
from sender_accounts.mail.outcome import failure_body
from sender_accounts.store.ports import Inboxes
from sender_accounts.store.records import InboxChanges, InboxRecord

if TYPE_CHECKING:
    from sender_accounts.accounts.connection_capacity import ConnectionCapacity
    from sender_accounts.accounts.connection_validation import ConnectionValidator


class TokenRenewal(Protocol):
    """An OAuth2 inbox's new tokens, refreshed once and validated where the inbox connects."""

    def renewed(
        self, workspace_id: str, inbox: InboxRecord, token: Any, overrides: dict[str, Any]
    ) -> dict[str, Any]: ...


def check_secret_kind(inbox: InboxRecord, given: set[str]) -> None:
    """Passwords for password inboxes, tokens for OAuth2 ones: the other kind is refused."""
    oauth = inbox.auth_type == "OAUTH2"
    if "token" in given and not oauth:
        raise FieldRuleViolated("token", "applies only to OAuth2 sender accounts")
    for field in ("smtp_password", "imap_password"):
        if field in given and oauth:
            raise FieldRuleViolated(field, "an OAuth2 sender account logs in with its token")
    for field in MAIL_HOST_FIELDS:
        if field in given and oauth:
            raise FieldRuleViolated(field, HOSTS_OF_THE_APP)


class UpdateService(InboxUseCase):
    def __init__(
        self,
        repository: Inboxes,
        vault: SecretVault,
        events: EventBus,
        settings: Settings,
        validator: ConnectionValidator,
        capacity: ConnectionCapacity | None,
        renewal: TokenRenewal,
    ) -> None:
        """`renewal`: how an OAuth2 inbox's new token is refreshed and validated."""
        super().__init__(repository, vault, events, settings, validator, capacity)
        self.renewal = renewal

    def update(
        self, workspace_id: str, inbox_id: str, request: UpdateSenderAccountRequest
    ) -> SenderAccountDetail:
        inbox = self._repository.get_inbox(workspace_id, inbox_id)
        given = request.given()
        check_secret_kind(inbox, given)
        changes: dict[str, Any] = {}
        if "display_name" in given and request.display_name is not None:
            changes["display_name"] = request.display_name
        if "daily_limit" in given and request.daily_limit is not None:
            maximum = PROVIDER_MAX_DAILY_LIMIT[InboxType(inbox.inbox_type)]
            if request.daily_limit > maximum:
                raise FieldRuleViolated(
                    "daily_limit", f"must be at most {maximum} for {inbox.inbox_type}"
                )
            changes["daily_limit"] = request.daily_limit
        if request.settings_given():
            warmup = request.warmup
            named = warmup.model_dump(exclude_unset=True, mode="json") if warmup else None
            changes["settings"] = merged_settings(inbox, request.settings_given(), named)
            changes.update(lifted_pause(inbox, changes["settings"]))
        old_status = InboxStatus(inbox.overall_status)
        new_status = old_status
        if request.changes_connection():
            # Validated before anything is saved; on failure the old credentials stay.
            changes.update(self._new_credentials(workspace_id, inbox, request))
            if old_status is InboxStatus.DISABLED:
                new_status = InboxStatus.ACTIVE
        if request.status is not None:
            if new_status is InboxStatus.DISABLED:
                raise InvalidStatusTransition(
                    "A DISABLED sender account becomes active only through new credentials "
                    "that validate: send them in the same request"
                )
            new_status = InboxStatus(request.status)
        if new_status is not old_status:
            changes["overall_status"] = new_status.value
        if not changes:
            return public_detail(inbox)
        changes["updated_at"] = utc_now()
        update = InboxChanges.model_validate(changes)
        updated = self._repository.update_inbox(workspace_id, inbox, update)
        self._publish(workspace_id, inbox, update, old_status, new_status)
        self._events.publish_all(warmup_events(workspace_id, inbox, updated))
        return public_detail(updated)

    def _new_credentials(
        self, workspace_id: str, inbox: InboxRecord, request: UpdateSenderAccountRequest
    ) -> dict[str, Any]:
        overrides = connection_overrides(request)
        # A moved endpoint without its password is refused before anything is decrypted.
        moved = moved_endpoints(inbox, request, overrides)
        cfg = self._settings
        # A new host meets the outbound rule before any password is decrypted or sent. The
        # probes and asyncio load here: most updates change no connection.
        import asyncio

        from sender_accounts.accounts.connection_validation import validated_now
        from sender_accounts.mail.validation import screen_destinations

        refused = asyncio.run(
            screen_destinations(
                [(p, endpoint(inbox, p, overrides)) for p in moved],
                cfg.outbound_policy,
                cfg.mail_step_timeout_seconds,
            )
        )
        if refused:
            raise ConnectionValidationFailed(failure_body(refused))
        if inbox.auth_type == "OAUTH2":
            return self.renewal.renewed(workspace_id, inbox, request.token, overrides)
        stored = self._vault.open(
            bytes(inbox.passwords_ciphertext or b""), workspace_id, inbox.inbox_id
        )
        passwords = MailboxPasswords(
            smtp=request.smtp_password or stored.smtp, imap=request.imap_password or stored.imap
        )
        smtp = endpoint(inbox, "smtp", overrides).login(passwords.smtp, inbox.email_address)
        imap = endpoint(inbox, "imap", overrides).login(passwords.imap)
        admission = self._admission(workspace_id)
        failures = validated_now(smtp, imap, cfg, self._validator, admission)
        if failures:
            raise ConnectionValidationFailed(failure_body(failures))
        now = utc_now()
        detected = {name: mode.value for name, mode in detected_modes(smtp, imap).items()}
        return {
            **overrides,
            **detected,  # the mode the server turned out to speak, stored as explicit
            "passwords_ciphertext": self._vault.seal(passwords, workspace_id, inbox.inbox_id),
            "connection_errors": [],
            "health_score": 100,
            "last_validated_at": now,
        }

    def _publish(
        self,
        workspace_id: str,
        inbox: InboxRecord,
        update: InboxChanges,
        old_status: InboxStatus,
        new_status: InboxStatus,
    ) -> None:
        base = SenderAccountEvent(
            workspace_id=workspace_id, inbox_id=inbox.inbox_id, email_address=inbox.email_address
        ).model_dump()
        changed = sorted(
            name
            for name in update.model_fields_set
            if name
            not in {
                "updated_at",
                "overall_status",
                "passwords_ciphertext",
                "tokens_ciphertext",
                "warmup_state",
                "warmup_pause_reason",
            }
        )
        events: list[LifecycleEvent] = []
        if changed:
            events.append(SenderAccountUpdated(**base, changed_fields=changed))
        if new_status is not old_status:
            events.append(
                SenderAccountStatusChanged(
                    **base, old_status=old_status, new_status=new_status, reason="UPDATE"
                )
            )
        self._events.publish_all(events)
