"""OAuth2 use cases driven with fakes: apps (provider defaults, sealed secrets, host rules,
isolation), connecting a mailbox with tokens, the hosted consent (PKCE, single-use state, where
the browser goes back), and refreshing a stored inbox's tokens."""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from sender_accounts.errors import (
    ConnectionValidationFailed,
    DuplicateAddress,
    FieldRuleViolated,
    InvalidState,
    NotFound,
    OAuthAppInUse,
)
from sender_accounts.mail.endpoints import AuthMechanism
from sender_accounts.oauth.apps import OAuthAppService, client_secret_context
from sender_accounts.oauth.connect import OAuthAccountService
from sender_accounts.oauth.consent import ConsentFlow, state_hash
from sender_accounts.oauth.inbox_tokens import InboxTokens
from sender_accounts.oauth.models import (
    CreateAuthorizationRequest,
    CreateOAuthAccountRequest,
    CreateOAuthAppRequest,
)
from sender_accounts.oauth.tokens import MailboxTokens, open_tokens, seal_tokens
from tests.unit.fakes import (
    SETTINGS,
    FakeConsentStore,
    FakeEvents,
    FakeInboxStore,
    FakeOAuthAppStore,
    FakeTokenEndpoint,
    FakeValidator,
    FakeVault,
    auth_failure,
)
from tests.unit.records import WORKSPACE, stored_inbox

CALLBACK = "https://api.acme.test/api/public/v1/oauth/callback"


class Rig:
    """The OAuth2 use cases over one set of fakes."""

    def __init__(self) -> None:
        self.inboxes, self.vault, self.events = FakeInboxStore(), FakeVault(), FakeEvents()
        self.app_store = FakeOAuthAppStore(self.inboxes)
        self.apps = OAuthAppService(self.app_store, self.vault, SETTINGS)
        self.provider, self.validator = FakeTokenEndpoint(), FakeValidator()
        self.accounts = OAuthAccountService(
            self.inboxes, self.vault, self.events, SETTINGS, self.apps, self.provider,
            self.validator, None,
        )  # fmt: skip
        self.consents = FakeConsentStore()
        self.flow = ConsentFlow(self.consents, self.vault, self.accounts, self.provider)
        self.tokens = InboxTokens(self.inboxes, self.vault, lambda: self.apps, self.provider)

    def app(self, provider: str = "google", workspace: str = WORKSPACE, **fields: Any) -> str:
        body = {"provider": provider, "client_id": "client-1", "client_secret": "shh-1", **fields}
        request = CreateOAuthAppRequest.model_validate(body)
        return self.apps.create(workspace, request).oauth_app_id

    def connect(self, app_id: str, **fields: Any) -> Any:
        body = {
            "email_address": "oauth.sender@acme.test", "display_name": "OAuth sender",
            "inbox_type": "GOOGLE_WORKSPACE", "oauth_app_id": app_id,
            "token": {"access_token": "given-access", "refresh_token": "given-refresh"},
            **fields,
        }  # fmt: skip
        request = CreateOAuthAccountRequest.model_validate(body)
        return self.accounts.create_with_tokens(WORKSPACE, request)

    def start(self, app_id: str, **fields: Any) -> Any:
        body = {
            "inbox_type": "GOOGLE_WORKSPACE", "oauth_app_id": app_id,
            "redirect_uri": "https://app.acme.test/connected", **fields,
        }  # fmt: skip
        request = CreateAuthorizationRequest.model_validate(body)
        return self.flow.start(WORKSPACE, request, CALLBACK)


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# OAuth apps -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "fields", "urls", "hosts"),
    [
        (
            "google", {},
            ("https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token"),
            ("smtp.gmail.com", 587, "imap.gmail.com", 993),
        ),
        (
            "microsoft", {"tenant": "acme.test"},
            (
                "https://login.microsoftonline.com/acme.test/oauth2/v2.0/authorize",
                "https://login.microsoftonline.com/acme.test/oauth2/v2.0/token",
            ),
            ("smtp.office365.com", 587, "outlook.office365.com", 993),
        ),
        (
            "microsoft", {},
            (
                "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
                "https://login.microsoftonline.com/common/oauth2/v2.0/token",
            ),
            ("smtp.office365.com", 587, "outlook.office365.com", 993),
        ),
    ],
)  # fmt: skip
def test_an_app_takes_its_providers_endpoints_and_mail_hosts(
    provider: str, fields: dict[str, Any], urls: tuple[str, str], hosts: tuple[Any, ...]
) -> None:
    rig = Rig()
    app = rig.apps.get(WORKSPACE, rig.app(provider, **fields))
    assert (app.authorize_url, app.token_url) == urls
    assert (app.smtp_host, app.smtp_port, app.imap_host, app.imap_port) == hosts


def test_an_app_keeps_the_mail_hosts_it_declares() -> None:
    rig = Rig()
    app_id = rig.app(smtp_host="smtp.relay.example", smtp_port=465, smtp_security="ssl")
    app = rig.apps.get(WORKSPACE, app_id)
    assert (app.smtp_host, app.smtp_port, app.smtp_security.value) == (
        "smtp.relay.example", 465, "ssl",
    )  # fmt: skip
    assert app.imap_host == "imap.gmail.com"


def test_the_client_secret_is_sealed_for_its_app_and_never_shown() -> None:
    rig = Rig()
    app_id = rig.app(client_secret="shh-the-secret")
    record = rig.app_store.apps[(WORKSPACE, app_id)]
    opened = rig.vault.open_secrets(
        record.client_secret_ciphertext, client_secret_context(WORKSPACE, app_id)
    )
    assert opened == {"client_secret": "shh-the-secret"}
    assert b"shh-the-secret" not in record.client_secret_ciphertext
    shown = rig.apps.get(WORKSPACE, app_id).model_dump_json()
    shown += rig.apps.list(WORKSPACE).model_dump_json()
    assert "shh-the-secret" not in shown
    with pytest.raises(AssertionError, match="another context"):
        rig.vault.open_secrets(
            record.client_secret_ciphertext, client_secret_context("ws-other", app_id)
        )


@pytest.mark.parametrize("field", ["smtp_host", "imap_host"])
@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1"])
def test_a_literal_private_mail_host_is_refused_naming_its_field(field: str, address: str) -> None:
    rig = Rig()
    with pytest.raises(FieldRuleViolated) as refused:
        rig.app(**{field: address})
    assert refused.value.body()["detail"][0]["loc"][-1] == field
    assert rig.app_store.apps == {}


@pytest.mark.parametrize("field", ["authorize_url", "token_url"])
@pytest.mark.parametrize(
    "url", ["http://203.0.113.9/token", "https://127.0.0.1/token", "https://10.0.0.8:443/x"]
)
def test_an_endpoint_off_the_outbound_rule_is_refused_naming_its_field(
    field: str, url: str
) -> None:
    rig = Rig()
    with pytest.raises(FieldRuleViolated) as refused:
        rig.app(**{field: url})
    assert refused.value.body()["detail"][0]["loc"][-1] == field
    assert rig.app_store.apps == {}


def test_apps_are_seen_only_by_their_workspace() -> None:
    rig = Rig()
    mine, theirs = rig.app(), rig.app(workspace="ws-other")
    assert [a.oauth_app_id for a in rig.apps.list(WORKSPACE).oauth_apps] == [mine]
    with pytest.raises(NotFound):
        rig.apps.get(WORKSPACE, theirs)
    with pytest.raises(NotFound):
        rig.apps.delete(WORKSPACE, theirs)


def test_an_app_in_use_cannot_be_deleted_until_its_inboxes_are() -> None:
    rig = Rig()
    app_id = rig.app()
    inbox_id = rig.connect(app_id).inbox_id
    with pytest.raises(OAuthAppInUse):
        rig.apps.delete(WORKSPACE, app_id)
    rig.inboxes.delete_inbox(WORKSPACE, inbox_id)
    assert rig.apps.delete(WORKSPACE, app_id).oauth_app_id == app_id


# Connecting with tokens -------------------------------------------------------------------


def test_a_connection_refreshes_once_then_logs_in_with_xoauth2_at_the_apps_hosts() -> None:
    rig = Rig()
    created = rig.connect(rig.app())
    assert rig.provider.refreshed == ["given-refresh"]
    ((smtp, imap),) = rig.validator.logins
    assert smtp.mechanism is imap.mechanism is AuthMechanism.XOAUTH2
    assert smtp.password == imap.password == "access-1"
    assert (smtp.host, imap.host) == ("smtp.gmail.com", "imap.gmail.com")
    assert smtp.username == "oauth.sender@acme.test"
    assert created.auth_type == "OAUTH2"
    assert created.overall_status.value == "ACTIVE"


def test_the_stored_tokens_open_only_for_their_inbox_and_nothing_shows_them() -> None:
    rig = Rig()
    created = rig.connect(rig.app())
    stored = rig.inboxes.get_inbox(WORKSPACE, created.inbox_id)
    tokens = open_tokens(rig.vault, bytes(stored.tokens_ciphertext or b""), WORKSPACE,
                         created.inbox_id)  # fmt: skip
    assert (tokens.access_token, tokens.refresh_token) == ("access-1", "given-refresh")
    assert stored.passwords_ciphertext is None
    said = created.model_dump_json() + str(rig.events.published)
    assert "access-1" not in said
    assert "given-refresh" not in said
    assert rig.events.published[0][1]["auth_type"] == "OAUTH2"


def test_a_revoked_refresh_token_is_auth_failed_and_nothing_is_stored() -> None:
    rig = Rig()
    rig.provider.revoked = {"given-refresh"}
    with pytest.raises(ConnectionValidationFailed) as refused:
        rig.connect(rig.app())
    assert "AUTH_FAILED" in str(refused.value.body())
    assert rig.inboxes.inboxes == {}
    assert rig.validator.logins == []


def test_a_revoked_token_with_store_on_failure_is_kept_disabled() -> None:
    rig = Rig()
    rig.provider.revoked = {"given-refresh"}
    created = rig.connect(rig.app(), on_validation_failure="store")
    assert created.overall_status.value == "DISABLED"


def test_a_failed_login_refuses_the_connection() -> None:
    rig = Rig()
    rig.validator.failures = [auth_failure("imap")]
    with pytest.raises(ConnectionValidationFailed):
        rig.connect(rig.app())
    assert rig.inboxes.inboxes == {}


def test_an_address_the_workspace_has_is_refused_before_any_refresh() -> None:
    rig = Rig()
    app_id = rig.app()
    rig.connect(app_id)
    with pytest.raises(DuplicateAddress):
        rig.connect(app_id, email_address="OAuth.Sender@acme.test")
    assert rig.provider.refreshed == ["given-refresh"]


@pytest.mark.parametrize(
    ("inbox_type", "provider", "field"),
    [("OUTLOOK_365", "google", "inbox_type"), ("GOOGLE_WORKSPACE", "microsoft", "inbox_type")],
)
def test_an_app_of_another_provider_is_refused_naming_the_field(
    inbox_type: str, provider: str, field: str
) -> None:
    rig = Rig()
    with pytest.raises(FieldRuleViolated) as refused:
        rig.connect(rig.app(provider), inbox_type=inbox_type)
    assert refused.value.body()["detail"][0]["loc"][-1] == field


def test_another_workspaces_app_is_refused_as_unknown() -> None:
    rig = Rig()
    with pytest.raises(FieldRuleViolated) as refused:
        rig.connect(rig.app(workspace="ws-other"))
    assert refused.value.body()["detail"][0]["loc"][-1] == "oauth_app_id"


# The hosted consent -----------------------------------------------------------------------


def test_a_consent_sends_the_user_to_the_provider_with_pkce_and_a_fresh_state() -> None:
    rig = Rig()
    started = rig.start(rig.app(), login_hint="who@acme.test")
    query = _query(started.authorization_url)
    assert started.authorization_url.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    assert (query["client_id"], query["redirect_uri"]) == ("client-1", CALLBACK)
    assert query["state"] == started.state
    assert len(started.state) >= 43
    assert query["code_challenge_method"] == "S256"
    assert query["login_hint"] == "who@acme.test"
    assert list(rig.consents.consents) == [state_hash(started.state)]  # only its hash kept
    assert started.state not in str(rig.consents.consents)


def test_the_callback_exchanges_the_code_with_the_verifier_of_the_challenge() -> None:
    rig = Rig()
    started = rig.start(rig.app())
    location = rig.flow.finish({"state": started.state, "code": "code-1"})
    ((code, verifier, redirect_uri),) = rig.provider.exchanged
    challenge = _query(started.authorization_url)["code_challenge"]
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert (code, redirect_uri, digest.decode()) == ("code-1", CALLBACK, challenge)
    back = _query(location)
    assert location.startswith("https://app.acme.test/connected?")
    assert rig.inboxes.get_inbox(WORKSPACE, back["inbox_id"]).auth_type == "OAUTH2"


def test_a_replayed_state_goes_back_with_invalid_state_and_creates_nothing_more() -> None:
    rig = Rig()
    started = rig.start(rig.app())
    rig.flow.finish({"state": started.state, "code": "code-1"})
    again = _query(rig.flow.finish({"state": started.state, "code": "code-1"}))
    assert again["error_code"] == "INVALID_STATE"
    assert len(rig.inboxes.inboxes) == 1
    assert len(rig.provider.exchanged) == 1


def test_an_expired_consent_goes_back_with_invalid_state() -> None:
    rig = Rig()
    started = rig.start(rig.app())
    rig.consents.consents[state_hash(started.state)].expires_at = 0
    back = _query(rig.flow.finish({"state": started.state, "code": "code-1"}))
    assert back["error_code"] == "INVALID_STATE"
    assert rig.provider.exchanged == []


@pytest.mark.parametrize("state", ["", "never-issued", "x" * 300])
def test_a_state_never_issued_is_a_400(state: str) -> None:
    rig = Rig()
    with pytest.raises(InvalidState):
        rig.flow.finish({"state": state, "code": "code-1"})


def test_a_declined_consent_goes_back_with_consent_denied() -> None:
    rig = Rig()
    started = rig.start(rig.app())
    back = _query(rig.flow.finish({"state": started.state, "error": "access_denied"}))
    assert (back["error_code"], back["error"]) == ("CONSENT_DENIED", "access_denied")
    assert rig.inboxes.inboxes == {}


def test_a_refused_code_goes_back_with_the_providers_refusal() -> None:
    rig = Rig()
    started = rig.start(rig.app())
    back = _query(rig.flow.finish({"state": started.state, "code": "refused"}))
    assert back["error_code"] == "AUTH_FAILED"
    assert rig.inboxes.inboxes == {}


@pytest.mark.parametrize("email", [None, "no-at-sign", "a@b.test\r\nBcc: x@evil.test"])
def test_an_id_token_without_a_valid_address_goes_back_with_invalid_email_claim(
    email: str | None,
) -> None:
    rig = Rig()
    rig.provider.email = email
    started = rig.start(rig.app())
    back = _query(rig.flow.finish({"state": started.state, "code": "code-1"}))
    assert back["error_code"] == "INVALID_EMAIL_CLAIM"
    assert rig.inboxes.inboxes == {}


def test_a_redirect_uri_the_app_does_not_list_is_refused() -> None:
    rig = Rig()
    app_id = rig.app(redirect_uris=["https://app.acme.test/connected"])
    with pytest.raises(FieldRuleViolated) as refused:
        rig.start(app_id, redirect_uri="https://evil.test/steal")
    assert refused.value.body()["detail"][0]["loc"][-1] == "redirect_uri"
    assert rig.consents.consents == {}


# A stored inbox's tokens ------------------------------------------------------------------


def _oauth_inbox(rig: Rig, app_id: str, tokens: MailboxTokens, version: int = 1) -> Any:
    sealed = seal_tokens(rig.vault, tokens, WORKSPACE, "inbox-1")
    inbox = stored_inbox(
        rig.vault, auth_type="OAUTH2", oauth_app_id=app_id, passwords_ciphertext=None,
        tokens_ciphertext=sealed, token_version=version, inbox_type="GOOGLE_WORKSPACE",
    )  # fmt: skip
    rig.inboxes.create_inbox(WORKSPACE, inbox)
    return inbox


def test_a_fresh_access_token_is_used_as_stored() -> None:
    rig = Rig()
    inbox = _oauth_inbox(rig, rig.app(), MailboxTokens("stored-access", "stored-refresh", 2**40))
    assert rig.tokens.usable(WORKSPACE, inbox).access_token == "stored-access"
    assert rig.provider.refreshed == []


def test_an_expiring_access_token_is_refreshed_and_the_new_pair_saved() -> None:
    rig = Rig()
    inbox = _oauth_inbox(rig, rig.app(), MailboxTokens("old-access", "stored-refresh", 0))
    assert rig.tokens.usable(WORKSPACE, inbox).access_token == "access-1"
    saved = rig.inboxes.get_inbox(WORKSPACE, "inbox-1")
    assert saved.token_version == 2
    reopened = open_tokens(rig.vault, bytes(saved.tokens_ciphertext or b""), WORKSPACE, "inbox-1")
    assert reopened.access_token == "access-1"


def test_a_refresh_refused_after_another_rotated_the_tokens_uses_the_newer_ones() -> None:
    rig = Rig()
    app_id = rig.app()
    seen = _oauth_inbox(rig, app_id, MailboxTokens("old-access", "rotated-away", 0))
    newer = seal_tokens(rig.vault, MailboxTokens("newer", "r2", 2**40), WORKSPACE, "inbox-1")
    rig.inboxes.save_tokens(WORKSPACE, "inbox-1", newer, 1)
    rig.provider.revoked = {"rotated-away"}
    assert rig.tokens.usable(WORKSPACE, seen).access_token == "newer"
