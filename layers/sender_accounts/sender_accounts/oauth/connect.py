"""Connecting an OAuth2 mailbox, from a token object or from a finished consent: one refresh
(proving the refresh token and the app work, and taking a rotated token), XOAUTH2 logins to
SMTP and IMAP side by side, then the inbox stored with its tokens sealed under KMS."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from sender_accounts.accounts.connection_capacity import ConnectionCapacity
from sender_accounts.accounts.connection_validation import ConnectionValidator, validated_now
from sender_accounts.accounts.creation import created_answer, judge_validation, store_new_inbox
from sender_accounts.accounts.credential_changes import endpoint
from sender_accounts.accounts.inbox_use_case import InboxUseCase
from sender_accounts.accounts.models import (
    CreateAccountResponse,
    InboxStatus,
    ValidationFailurePolicy,
)
from sender_accounts.adapters.ports import EventBus, SecretVault
from sender_accounts.common.check_schedule import first_check_at
from sender_accounts.common.clock import utc_now
from sender_accounts.common.token_object import TokenObject
from sender_accounts.common.warmup_words import warmup_key
from sender_accounts.config import Settings
from sender_accounts.errors import ConnectionValidationFailed, DuplicateAddress, FieldRuleViolated
from sender_accounts.mail.endpoints import AuthMechanism, MailServerLogin, Security
from sender_accounts.mail.operation_deadline import operation_deadline
from sender_accounts.mail.outcome import StageFailure, failure_body
from sender_accounts.oauth.apps import OAuthApps, OAuthClient
from sender_accounts.oauth.inbox_tokens import OAUTH2
from sender_accounts.oauth.models import (
    PROVIDER_OF,
    CreateOAuthAccountRequest,
    MailServerOverrides,
)
from sender_accounts.oauth.providers import MAIL_SERVERS
from sender_accounts.oauth.tokens import (
    MailboxTokens,
    RefreshFailed,
    TokenEndpoint,
    open_tokens,
    seal_tokens,
)
from sender_accounts.store.ports import Inboxes
from sender_accounts.store.records import InboxRecord


class OAuthAccountResponse(CreateAccountResponse):
    auth_type: Literal["OAUTH2"] = "OAUTH2"


@dataclass(frozen=True)
class OAuthMailbox:
    """An OAuth2 mailbox to connect, however its tokens were obtained."""

    email_address: str
    display_name: str
    inbox_type: str
    oauth_app_id: str
    servers: MailServerOverrides
    daily_limit: int = 100
    settings: dict[str, Any] = field(default_factory=dict)
    suspended: bool = False
    on_failure: ValidationFailurePolicy = ValidationFailurePolicy.REJECT


def _logins(mailbox: OAuthMailbox, access_token: str) -> tuple[MailServerLogin, MailServerLogin]:
    defaults, given = MAIL_SERVERS[PROVIDER_OF[mailbox.inbox_type]], mailbox.servers
    user = mailbox.email_address
    smtp = MailServerLogin(
        given.smtp_host or defaults.smtp_host, given.smtp_port or defaults.smtp_port,
        given.smtp_security or Security.STARTTLS, user, access_token,
        chosen=True, sender=user, mechanism=AuthMechanism.XOAUTH2,
    )  # fmt: skip
    imap = MailServerLogin(
        given.imap_host or defaults.imap_host, given.imap_port or defaults.imap_port,
        given.imap_security or Security.SSL, user, access_token,
        chosen=True, mechanism=AuthMechanism.XOAUTH2,
    )  # fmt: skip
    return smtp, imap


def _record(
    inbox_id: str,
    mailbox: OAuthMailbox,
    logins: tuple[MailServerLogin, MailServerLogin],
    failures: list[StageFailure],
    tokens_ciphertext: bytes,
    now: str,
) -> InboxRecord:
    smtp, imap = logins
    status = InboxStatus.PAUSED if mailbox.suspended else InboxStatus.ACTIVE
    return InboxRecord.model_validate(
        {
            "inbox_id": inbox_id, "email_address": mailbox.email_address,
            "email_lower": mailbox.email_address.lower(), "display_name": mailbox.display_name,
            "inbox_type": mailbox.inbox_type, "daily_limit": mailbox.daily_limit,
            "overall_status": (InboxStatus.DISABLED if failures else status).value,
            "health_score": 0 if failures else 100,
            "smtp_host": smtp.host, "smtp_port": smtp.port, "smtp_username": smtp.username,
            "smtp_use_tls": smtp.security is not Security.NONE,
            "smtp_security": smtp.security.value,
            "imap_host": imap.host, "imap_port": imap.port, "imap_username": imap.username,
            "imap_use_ssl": imap.security is not Security.NONE,
            "imap_security": imap.security.value,
            "auth_type": OAUTH2, "oauth_app_id": mailbox.oauth_app_id,
            "tokens_ciphertext": tokens_ciphertext, "token_version": 1,
            "settings": mailbox.settings,
            "connection_errors": [failure.as_dict() for failure in failures],
            "last_validated_at": now, "next_check_at": first_check_at(now),
            "created_at": now, "updated_at": now, "warmup_key_id": warmup_key(),
        }
    )  # fmt: skip


class OAuthAccountService(InboxUseCase):
    def __init__(
        self,
        repository: Inboxes,
        vault: SecretVault,
        events: EventBus,
        settings: Settings,
        apps: OAuthApps,
        requests: TokenEndpoint,
        validator: ConnectionValidator,
        capacity: ConnectionCapacity | None,
    ) -> None:
        super().__init__(repository, vault, events, settings, validator, capacity)
        self._apps = apps
        self._requests = requests

    def client_for(self, workspace_id: str, oauth_app_id: str, inbox_type: str) -> OAuthClient:
        """The app the inbox names, refused with a 422 naming the field when it cannot serve."""
        try:
            client = self._apps.client(workspace_id, oauth_app_id)
        except Exception as exc:  # NotFound, a malformed id: the request's field is at fault
            if getattr(exc, "status", None) != 404:
                raise
            raise FieldRuleViolated("oauth_app_id", "No OAuth app with this id") from None
        if client.provider is not PROVIDER_OF[inbox_type]:
            raise FieldRuleViolated(
                "inbox_type", f"{inbox_type} needs a {PROVIDER_OF[inbox_type].value} OAuth app"
            )
        return client

    def connect(
        self,
        workspace_id: str,
        mailbox: OAuthMailbox,
        tokens: MailboxTokens,
        client: OAuthClient,
        refreshed: bool = False,
    ) -> OAuthAccountResponse:
        """`refreshed`: the tokens come straight from the provider (a consent); otherwise they
        are refreshed once first."""
        stored = self.connect_stored(workspace_id, mailbox, tokens, client, refreshed)
        return created_answer(stored, "OAuth2 inbox created successfully", OAuthAccountResponse)

    def connect_stored(
        self,
        workspace_id: str,
        mailbox: OAuthMailbox,
        tokens: MailboxTokens,
        client: OAuthClient,
        refreshed: bool = False,
    ) -> InboxRecord:
        """`connect`, answered with the inbox as stored."""
        with operation_deadline(self._settings.validation_deadline_seconds):
            if self._repository.address_taken(workspace_id, mailbox.email_address):
                raise DuplicateAddress(mailbox.email_address)
            failures: list[StageFailure] = []
            try:
                if not refreshed:
                    tokens = self._requests.refresh(client, tokens.refresh_token)
            except RefreshFailed as failed:
                failures = [failed.failure]
            logins = _logins(mailbox, tokens.access_token)
            if not failures:
                admission = self._admission(workspace_id)
                failures = validated_now(*logins, self._settings, self._validator, admission)
            judge_validation(failures, mailbox.on_failure)
            inbox_id, now = str(uuid.uuid4()), utc_now()
            sealed = seal_tokens(self._vault, tokens, workspace_id, inbox_id)
            record = _record(inbox_id, mailbox, logins, failures, sealed, now)
            return store_new_inbox(self._repository, self._events, workspace_id, record)

    def create_with_tokens(
        self, workspace_id: str, request: CreateOAuthAccountRequest
    ) -> OAuthAccountResponse:
        """POST /sender-accounts/oauth: SmartLead's token object, ColdSend's answer."""
        stored = self.create_stored_with_tokens(workspace_id, request)
        return created_answer(stored, "OAuth2 inbox created successfully", OAuthAccountResponse)

    def create_stored_with_tokens(
        self, workspace_id: str, request: CreateOAuthAccountRequest
    ) -> InboxRecord:
        """`create_with_tokens`, answered with the inbox as stored (SmartLead's OAuth save)."""
        client = self.client_for(workspace_id, request.oauth_app_id, request.inbox_type)
        given = request.token
        expires_at = (given.expiry_date or 0) // 1000
        tokens = MailboxTokens(given.access_token, given.refresh_token, expires_at)
        mailbox = OAuthMailbox(
            email_address=request.email_address,
            display_name=request.display_name,
            inbox_type=request.inbox_type,
            oauth_app_id=request.oauth_app_id,
            servers=client.servers,
            daily_limit=request.daily_limit,
            settings=request.settings(),
            suspended=request.suspended,
            on_failure=request.on_validation_failure,
        )
        return self.connect_stored(workspace_id, mailbox, tokens, client)

    def renewed(
        self,
        workspace_id: str,
        inbox: InboxRecord,
        token: TokenObject | None,
        overrides: dict[str, Any],
    ) -> dict[str, Any]:
        """PATCH of an OAuth2 inbox: the given tokens (or the stored ones, for a change of
        mode alone) refreshed once and validated where the inbox will connect; its changes."""
        with operation_deadline(self._settings.validation_deadline_seconds):
            assert inbox.oauth_app_id is not None
            client = self.client_for(workspace_id, inbox.oauth_app_id, inbox.inbox_type)
            if token is not None:
                tokens = MailboxTokens(token.access_token, token.refresh_token)
            else:
                ciphertext = bytes(inbox.tokens_ciphertext or b"")
                tokens = open_tokens(self._vault, ciphertext, workspace_id, inbox.inbox_id)
            try:
                tokens = self._requests.refresh(client, tokens.refresh_token)
            except RefreshFailed as failed:
                raise ConnectionValidationFailed(failure_body([failed.failure])) from None
            # Validated, and stored, at the app's mail hosts (an older inbox moves to them).
            overrides = {**overrides, **client.servers.model_dump(mode="json")}
            smtp, imap = (
                endpoint(inbox, p, overrides).login(
                    tokens.access_token, sender, AuthMechanism.XOAUTH2
                )
                for p, sender in (("smtp", inbox.email_address), ("imap", None))
            )
            admission = self._admission(workspace_id)
            failures = validated_now(smtp, imap, self._settings, self._validator, admission)
            if failures:
                raise ConnectionValidationFailed(failure_body(failures))
            return {
                **overrides,
                "tokens_ciphertext": seal_tokens(self._vault, tokens, workspace_id, inbox.inbox_id),
                "token_version": inbox.token_version + 1,
                "connection_errors": [],
                "health_score": 100,
                "last_validated_at": utc_now(),
            }
