"""OAuth apps, token objects and consents: requests, responses and their field rules."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from sender_accounts.accounts.models import (
    PROVIDER_MAX_DAILY_LIMIT,
    InboxType,
    Port,
    SmartLeadSettings,
    ValidationFailurePolicy,
    check_email_address,
)
from sender_accounts.common.mail_hosts import HOSTS_OF_THE_APP, MAIL_HOST_FIELDS
from sender_accounts.common.model import Model
from sender_accounts.common.request_bodies import PostBody, WithWarnings
from sender_accounts.common.text_rules import (
    HeaderText255,
    HostName,
    JsonBool,
    JsonInt,
    Secret,
    SingleLine,
    Text255,
)
from sender_accounts.common.token_object import TokenObject
from sender_accounts.mail.endpoints import Security
from sender_accounts.oauth.providers import Provider

Url = Annotated[SingleLine, Field(min_length=8, max_length=2048)]
OAuthInboxType = Literal["GOOGLE_WORKSPACE", "OUTLOOK_365"]
PROVIDER_OF: dict[str, Provider] = {
    "GOOGLE_WORKSPACE": Provider.GOOGLE,
    "OUTLOOK_365": Provider.MICROSOFT,
}


class MailServerOverrides(PostBody):
    """Where the provider's mail servers are reached, when not at their usual names."""

    smtp_host: HostName | None = None
    smtp_port: Port | None = None
    smtp_security: Security | None = None
    imap_host: HostName | None = None
    imap_port: Port | None = None
    imap_security: Security | None = None


class CreateOAuthAppRequest(MailServerOverrides):
    """POST /oauth-apps: the client, and the mail hosts its mailboxes connect to (the
    provider's by default), fixed for the app's life."""

    provider: Provider
    client_id: Text255
    client_secret: Secret
    tenant: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$")
    authorize_url: Url | None = None
    token_url: Url | None = None
    redirect_uris: list[Url] | None = Field(default=None, min_length=1, max_length=20)

    @field_validator("tenant")
    @classmethod
    def _microsoft_only(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("provider") is Provider.GOOGLE:
            raise ValueError("is a Microsoft setting; Google apps have no tenant")
        return value


class OAuthApp(Model):
    oauth_app_id: str
    provider: Provider
    client_id: str
    tenant: str | None = None
    authorize_url: str
    token_url: str
    redirect_uris: list[str] | None = None
    smtp_host: str
    smtp_port: int
    smtp_security: Security
    imap_host: str
    imap_port: int
    imap_security: Security
    inbox_count: int = 0
    created_at: datetime


class OAuthAppResponse(OAuthApp, WithWarnings):
    success: bool = True
    message: str | None = None


class OAuthAppList(Model):
    success: bool = True
    oauth_apps: list[OAuthApp]


class DeleteOAuthAppResponse(Model):
    success: bool = True
    message: str
    oauth_app_id: str


class OAuthInboxFields(PostBody):
    """What both ways of connecting an OAuth2 mailbox take besides the tokens. The six mail
    host fields are named only to be refused: they belong to the OAuth app."""

    smtp_host: Any = None
    smtp_port: Any = None
    smtp_security: Any = None
    imap_host: Any = None
    imap_port: Any = None
    imap_security: Any = None

    inbox_type: OAuthInboxType
    oauth_app_id: Annotated[str, Field(min_length=1, max_length=64)]
    daily_limit: JsonInt = Field(default=100, ge=1)

    @field_validator(*MAIL_HOST_FIELDS, mode="before")
    @classmethod
    def _hosts_belong_to_the_app(cls, value: Any) -> None:
        if value is not None:
            raise ValueError(HOSTS_OF_THE_APP)
        return

    @field_validator("daily_limit")
    @classmethod
    def _within_provider_maximum(cls, value: int, info: ValidationInfo) -> int:
        inbox_type = info.data.get("inbox_type")
        if isinstance(inbox_type, str):
            maximum = PROVIDER_MAX_DAILY_LIMIT[InboxType(inbox_type)]
            if value > maximum:
                raise ValueError(f"must be at most {maximum} for {inbox_type}")
        return value


class CreateOAuthAccountRequest(SmartLeadSettings, OAuthInboxFields):
    """POST /sender-accounts/oauth."""

    email_address: Annotated[SingleLine, Field(min_length=5, max_length=255)]
    display_name: HeaderText255
    token: TokenObject
    suspended: JsonBool = False
    on_validation_failure: ValidationFailurePolicy = ValidationFailurePolicy.REJECT

    @field_validator("email_address")
    @classmethod
    def _valid_address(cls, value: str) -> str:
        return check_email_address(value)

    def settings(self) -> dict[str, Any]:
        return self.model_dump(
            include=set(SmartLeadSettings.model_fields), exclude_none=True, mode="json"
        )


class CreateAuthorizationRequest(OAuthInboxFields):
    """POST /oauth/authorizations: where the consent starts."""

    redirect_uri: Url
    login_hint: Annotated[SingleLine, Field(min_length=3, max_length=255)] | None = None
    display_name: HeaderText255 | None = None


class AuthorizationResponse(WithWarnings):
    success: bool = True
    authorization_url: str
    state: str
    expires_at: datetime
