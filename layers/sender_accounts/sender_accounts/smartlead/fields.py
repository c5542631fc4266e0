"""SmartLead's request bodies as its clients send them: `user_name` or `username`, booleans as
`true` or `"true"`, integers as numbers or numeric strings (form posts carry only strings), a
`client_id` number or text, and `type` in any case. Every field is optional here: which ones a
save needs depends on whether it creates or updates (translation.py says so, naming the field)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator

from sender_accounts.common.request_bodies import PostBody
from sender_accounts.common.statuses import InboxType
from sender_accounts.common.text_rules import (
    HeaderText255,
    HostName,
    JsonInt,
    MultiLine,
    Secret,
    SingleLine,
    Username,
)
from sender_accounts.common.token_object import TokenObject


def _lax_bool(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _client_id(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number or text")
    return str(value) if isinstance(value, int) else value


def _blank_as_none(value: Any) -> Any:
    # SmartLead's own forms send "" for a setting left empty.
    return None if isinstance(value, str) and not value.strip() else value


LaxBool = Annotated[bool, BeforeValidator(_lax_bool)]
ClientId = Annotated[SingleLine, BeforeValidator(_client_id), Field(max_length=255)]
Port = Annotated[JsonInt, Field(ge=1, le=65535)]
OptionalText = Annotated[
    Annotated[SingleLine, Field(max_length=255)] | None, BeforeValidator(_blank_as_none)
]

ACCOUNT_TYPES = {
    "SMTP": InboxType.CUSTOM_SMTP,
    "GMAIL": InboxType.GOOGLE_WORKSPACE,
    "OUTLOOK": InboxType.OUTLOOK_365,
}
OAUTH_TYPES = {
    "GMAIL": InboxType.GOOGLE_WORKSPACE,
    "GOOGLE": InboxType.GOOGLE_WORKSPACE,
    "OUTLOOK": InboxType.OUTLOOK_365,
    "MICROSOFT": InboxType.OUTLOOK_365,
}
# How our types read back in SmartLead's `type`.
TYPE_NAMES = {
    InboxType.CUSTOM_SMTP: "SMTP",
    InboxType.GOOGLE_WORKSPACE: "GMAIL",
    InboxType.OUTLOOK_365: "OUTLOOK",
    InboxType.COLDSEND: "SMTP",
}


def _one_of(value: Any, names: dict[str, InboxType]) -> InboxType:
    if not isinstance(value, str) or value.strip().upper() not in names:
        raise ValueError(f"must be one of {', '.join(names)} (any case)")
    return names[value.strip().upper()]


class WarmupFields(PostBody):
    """The warm-up settings a save and POST .../warmup share."""

    warmup_enabled: LaxBool | None = None
    total_warmup_per_day: JsonInt | None = Field(default=None, ge=1, le=50)
    daily_rampup: JsonInt | None = Field(default=None, ge=1, le=20)
    reply_rate_percentage: JsonInt | None = Field(default=None, ge=0, le=100)


class AccountSettings(WarmupFields):
    """What POST /email-accounts/{id} changes, and every save may set."""

    from_name: HeaderText255 | None = None
    max_email_per_day: JsonInt | None = Field(default=None, ge=1)
    custom_tracking_url: OptionalText = None
    bcc: OptionalText = None
    signature: Annotated[MultiLine, Field(max_length=10_000)] | None = None
    different_reply_to_address: OptionalText = None
    time_to_wait_in_mins: JsonInt | None = Field(default=None, ge=0, le=1440)
    client_id: Annotated[ClientId | None, BeforeValidator(_blank_as_none)] = None
    is_suspended: LaxBool | None = None


class SaveAccountRequest(AccountSettings):
    """POST /email-accounts/save: creates, or updates the account `id` names."""

    id: JsonInt | None = Field(default=None, ge=1)
    from_email: Annotated[SingleLine, Field(min_length=5, max_length=255)] | None = None
    user_name: Username | None = None
    username: Username | None = None
    password: Secret | None = None
    smtp_host: HostName | None = None
    smtp_port: Port | None = None
    imap_host: HostName | None = None
    imap_port: Port | None = None
    imap_user_name: Username | None = None
    imap_password: Secret | None = None
    type: InboxType | None = None

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        return None if value is None else _one_of(value, ACCOUNT_TYPES)

    @property
    def login(self) -> str | None:
        return self.user_name or self.username


class SaveOAuthRequest(AccountSettings):
    """POST /email-accounts/save-oauth: SmartLead's token object and the provider."""

    from_email: Annotated[SingleLine, Field(min_length=5, max_length=255)]
    username: Username | None = None
    token: TokenObject
    type: InboxType

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        return _one_of(value, OAUTH_TYPES)


class UpdateAccountRequest(AccountSettings):
    """POST or PATCH /email-accounts/{id}."""


class WarmupRequest(WarmupFields):
    """POST /email-accounts/{id}/warmup."""

    warmup_enabled: LaxBool  # required here
    warmup_key_id: OptionalText = None
    auto_adjust_warmup: LaxBool | None = None
    is_rampup_enabled: LaxBool | None = None


class ListFilters(PostBody):
    """GET /email-accounts's query."""

    offset: JsonInt = Field(default=0, ge=0)
    limit: JsonInt = Field(default=100, ge=1, le=100)
    username: SingleLine | None = Field(default=None, max_length=255)
    client_id: ClientId | None = None
    esp: Literal["GMAIL", "OUTLOOK", "SMTP"] | None = None
    email_warmup_status: Literal["ACTIVE", "INACTIVE"] | None = None
    is_smtp_success: LaxBool | None = None
    is_imap_success: LaxBool | None = None
    is_warmup_blocked: LaxBool | None = None
