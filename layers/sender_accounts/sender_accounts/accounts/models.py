"""Connected (SMTP/IMAP) sender accounts: requests, responses and the contract's field rules."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from sender_accounts.accounts.health_fields import DnsStatus, HealthFactor, ProtocolStatus
from sender_accounts.common.model import Model
from sender_accounts.common.pagination import Pagination
from sender_accounts.common.request_bodies import PatchBody, PostBody, WithWarnings
from sender_accounts.common.statuses import (
    PROVIDER_MAX_DAILY_LIMIT,
    InboxStatus,
    InboxType,
    WarmupStatus,
)
from sender_accounts.common.text_rules import (
    ENCODED_WORD,
    HeaderText255,
    HostName,
    JsonBool,
    JsonInt,
    MultiLine,
    Secret,
    SingleLine,
    Username,
)
from sender_accounts.common.token_object import TokenObject
from sender_accounts.mail.endpoints import Security


class ValidationFailurePolicy(StrEnum):
    REJECT = "reject"
    STORE = "store"


# RFC 5322 dot-atom local part and an RFC 1035 host name of at least two labels. Special-use
# domains (.test, .example, .local, localhost) are deliberately accepted.
LOCAL_PART = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = re.compile(rf"^(?P<local>{LOCAL_PART})@(?P<domain>{_LABEL}(?:\.{_LABEL})*)$")


def check_email_address(value: str) -> str:
    match = EMAIL_PATTERN.fullmatch(value)
    if match is None or len(match["local"]) > 64:
        raise ValueError("must be a valid email address such as name@example.com")
    if ENCODED_WORD.search(value):  # dot-atom allows it, but a From header would decode it
        raise ValueError("must not contain RFC 2047 encoded words (=?charset?q?...?=)")
    return value


Port = Annotated[JsonInt, Field(ge=1, le=65535)]


class WarmupSettings(Model):
    """SmartLead's warm-up settings (`total_warmup_per_day` is `emails_per_day`, the cap) and the
    pool, first day and ramp switch; what is not given takes warmup/ramp.py's defaults.
    `daily_rampup` takes 1-20 (SmartLead documents 5-20, its guides recommend 2-3)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    enabled: JsonBool = False
    emails_per_day: JsonInt | None = Field(default=None, ge=1, le=50)
    daily_rampup: JsonInt | None = Field(default=None, ge=1, le=20)
    reply_rate_percentage: JsonInt | None = Field(default=None, ge=0, le=100)
    start_per_day: JsonInt | None = Field(default=None, ge=1, le=50)
    is_rampup_enabled: JsonBool | None = None
    pool: Literal["network", "workspace"] | None = None


class SmartLeadSettings(Model):
    """SmartLead's optional account settings, accepted, stored and returned as given."""

    reply_to: SingleLine | None = Field(default=None, max_length=255)
    bcc: SingleLine | None = Field(default=None, max_length=255)
    signature: MultiLine | None = Field(default=None, max_length=10_000)
    min_minutes_between_emails: JsonInt | None = Field(default=None, ge=0, le=1440)
    tracking_domain: SingleLine | None = Field(default=None, max_length=255)
    client_id: SingleLine | None = Field(default=None, max_length=255)
    warmup: WarmupSettings | None = None
    # The DKIM selector a custom provider signs with (Google and Microsoft 365 are known).
    dkim_selector: str | None = Field(
        default=None, max_length=63, pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$"
    )

    @field_validator("reply_to", "bcc")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        return None if value is None else check_email_address(value)


class CreateSmtpAccountRequest(SmartLeadSettings, PostBody):
    """POST /sender-accounts/smtp."""

    email_address: Annotated[SingleLine, Field(min_length=5, max_length=255)]
    display_name: HeaderText255
    inbox_type: InboxType
    smtp_host: HostName
    smtp_port: Port
    smtp_username: Username
    smtp_password: Secret
    imap_host: HostName
    imap_port: Port
    imap_username: Username
    imap_password: Secret
    daily_limit: JsonInt = Field(default=100, ge=1)
    smtp_use_tls: JsonBool = True
    imap_use_ssl: JsonBool = True
    smtp_security: Security | None = None
    imap_security: Security | None = None
    suspended: JsonBool = False
    on_validation_failure: ValidationFailurePolicy = ValidationFailurePolicy.REJECT

    @field_validator("email_address")
    @classmethod
    def _valid_address(cls, value: str) -> str:
        return check_email_address(value)

    @field_validator("inbox_type")
    @classmethod
    def _byoc_type(cls, value: InboxType) -> InboxType:
        if value is InboxType.COLDSEND:
            raise ValueError(
                "COLDSEND inboxes are created with POST /sender-accounts/coldsend-native"
            )
        return value

    @field_validator("daily_limit")
    @classmethod
    def _within_provider_maximum(cls, value: int, info: ValidationInfo) -> int:
        inbox_type = info.data.get("inbox_type")
        if isinstance(inbox_type, InboxType):
            maximum = PROVIDER_MAX_DAILY_LIMIT[inbox_type]
            if value > maximum:
                raise ValueError(f"must be at most {maximum} for {inbox_type.value}")
        return value

    def settings(self) -> dict[str, Any]:
        """The SmartLead settings that were given, ready to store."""
        return self.model_dump(
            include=set(SmartLeadSettings.model_fields), exclude_none=True, mode="json"
        )


class CreateAccountResponse(WithWarnings):
    success: bool = True
    message: str
    inbox_id: str
    email_address: str
    display_name: str
    inbox_type: InboxType
    daily_limit: int
    overall_status: InboxStatus
    created_at: datetime
    connection_errors: list[dict[str, Any]] | None = None


class SenderAccountSummary(Model):
    inbox_id: str
    email_address: str
    display_name: str
    inbox_type: InboxType
    overall_status: InboxStatus
    daily_limit: int
    emails_sent_today: int = 0
    health_score: float = 0
    created_at: datetime
    warmup_status: WarmupStatus = WarmupStatus.INACTIVE
    warmup_reputation: float | None = Field(
        default=None, description="Inbox placements of its own warm-up sends, 7 days, %"
    )


class SenderAccountDetail(SenderAccountSummary, SmartLeadSettings):
    account_id: int | None = Field(
        default=None, description="The integer id of SmartLead's API (its account_id)"
    )
    auth_type: Literal["PASSWORD", "OAUTH2"] = "PASSWORD"
    oauth_app_id: str | None = None
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_username: str | None = None
    smtp_use_tls: bool | None = None
    smtp_security: Security | None = None
    imap_host: str | None = None
    imap_port: int | None = None
    imap_username: str | None = None
    imap_use_ssl: bool | None = None
    imap_security: Security | None = None
    last_validated_at: datetime | None = None
    connection_errors: list[dict[str, Any]] = Field(default_factory=list)
    updated_at: datetime
    # Monitoring: the last check's result per protocol, the score's factors, the schedule.
    smtp_status: ProtocolStatus | None = None
    imap_status: ProtocolStatus | None = None
    dns_status: DnsStatus | None = None
    health_factors: list[HealthFactor] = Field(default_factory=list)
    consecutive_failures: int = 0
    last_checked_at: datetime | None = None
    last_success_at: datetime | None = None
    disconnected_at: datetime | None = None
    next_check_at: datetime | None = None
    # Warm-up (GET .../warmup has its statistics).
    warmup_key_id: str | None = None
    warmup_started_at: datetime | None = None


class SortField(StrEnum):
    EMAIL_ADDRESS = "email_address"
    INBOX_TYPE = "inbox_type"
    CREATED_AT = "created_at"
    HEALTH_SCORE = "health_score"
    WARMUP_REPUTATION = "warmup_reputation"  # no reputation yet sorts lowest


class SortOrder(StrEnum):
    ASC = "asc"
    DESC = "desc"


class ListQuery(Model):
    page: int = Field(default=1, ge=1)
    limit: int = Field(default=20, ge=1, le=100)
    inbox_type: InboxType | None = None
    status: InboxStatus | None = None
    search: SingleLine | None = Field(default=None, max_length=255)
    sort_by: SortField = SortField.CREATED_AT
    sort_order: SortOrder = SortOrder.DESC
    health_below: int | None = Field(default=None, ge=0, le=100)
    warmup_status: WarmupStatus | None = None
    cursor: str | None = Field(default=None, max_length=2048)


class ListSenderAccountsResponse(Model):
    success: bool = True
    message: str
    sender_accounts: list[SenderAccountSummary]
    pagination: Pagination


class DeleteSenderAccountResponse(Model):
    success: bool = True
    message: str
    inbox_id: str


class UpdateSenderAccountRequest(SmartLeadSettings, PatchBody):
    """PATCH /sender-accounts/{inbox_id}: only what is given changes."""

    display_name: HeaderText255 | None = None
    daily_limit: JsonInt | None = Field(default=None, ge=1)
    status: Literal["ACTIVE", "PAUSED"] | None = None
    smtp_host: HostName | None = None
    smtp_port: Port | None = None
    smtp_username: Username | None = None
    smtp_password: Secret | None = None
    smtp_use_tls: JsonBool | None = None
    smtp_security: Security | None = None
    imap_host: HostName | None = None
    imap_port: Port | None = None
    imap_username: Username | None = None
    imap_password: Secret | None = None
    imap_use_ssl: JsonBool | None = None
    imap_security: Security | None = None
    token: TokenObject | None = None  # OAuth2 inboxes: new tokens, validated like passwords

    CONNECTION_FIELDS: ClassVar[tuple[str, ...]] = (
        "smtp_host", "smtp_port", "smtp_username", "smtp_password", "smtp_use_tls",
        "smtp_security", "imap_host", "imap_port", "imap_username", "imap_password",
        "imap_use_ssl", "imap_security", "token",
    )  # fmt: skip

    def given(self) -> set[str]:
        return set(self.model_fields_set)

    def changes_connection(self) -> bool:
        return bool(self.given() & set(self.CONNECTION_FIELDS))

    def settings_given(self) -> dict[str, Any]:
        fields = self.given() & set(SmartLeadSettings.model_fields)
        return self.model_dump(include=fields, mode="json")
