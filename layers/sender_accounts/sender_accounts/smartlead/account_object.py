"""The account as SmartLead's clients parse it (list and GET): SmartLead's names and types,
never null where its schema types a value, the union of the fields its references document.
Never a password: SmartLead returns them base64-encoded; this API does not."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sender_accounts.common.model import Model
from sender_accounts.common.statuses import InboxStatus, InboxType, WarmupStatus
from sender_accounts.smartlead.fields import TYPE_NAMES
from sender_accounts.store.daily_sends import todays_count
from sender_accounts.store.records import InboxRecord
from sender_accounts.store.warmup_members import warmup_status
from sender_accounts.warmup.ramp import Ramp

PORT_TYPES = {"ssl": "SSL", "starttls": "TLS", "none": "NONE"}


class WarmupDetails(Model):
    id: int
    status: Literal["ACTIVE", "INACTIVE"]
    total_sent_count: int = 0
    total_spam_count: int = 0
    warmup_reputation: str = Field(description='Inbox placement over 7 days, such as "100%"')
    reply_rate: int
    warmup_key_id: str | None = None
    is_warmup_blocked: bool
    blocked_reason: str | None = None
    warmup_min_count: int
    warmup_max_count: int
    max_email_per_day: int


class SmartLeadAccount(Model):
    id: int
    created_at: str
    updated_at: str
    from_name: str
    from_email: str
    username: str
    smtp_host: str
    smtp_port: int
    smtp_port_type: str
    imap_host: str
    imap_port: int
    imap_port_type: str
    message_per_day: int
    max_email_per_day: int
    daily_sent_count: int
    type: str
    client_id: int | None = None
    is_smtp_success: bool
    is_imap_success: bool
    smtp_failure_error: str | None = None
    imap_failure_error: str | None = None
    is_suspended: bool
    connection_status: Literal["CONNECTED", "DISCONNECTED", "ERROR"]
    warmup_enabled: bool
    total_warmup_per_day: int
    daily_rampup: int
    signature: str | None = None
    custom_tracking_domain: str | None = None
    bcc_email: str | None = None
    minTimeToWaitInMins: int = 0  # noqa: N815  SmartLead's spelling
    different_reply_to_address: str | None = None
    campaign_count: int = 0
    campaign_ids: list[int] | None = Field(default=None, exclude_if=lambda v: v is None)
    tags: list[str] | None = Field(default=None, exclude_if=lambda v: v is None)
    warmup_details: WarmupDetails


def login_results(inbox: InboxRecord) -> tuple[bool, bool, str | None, str | None]:
    """(SMTP ok, IMAP ok, SMTP failure, IMAP failure): the last health check's answer where
    there is one, else the creation's validation."""
    found: dict[str, tuple[bool, str | None]] = {}
    for protocol, status in (("smtp", inbox.smtp_status), ("imap", inbox.imap_status)):
        if status and status.get("ok") is not None:
            found[protocol] = (bool(status["ok"]), status.get("detail"))
    for error in inbox.connection_errors:
        stage = str(error.get("stage", "")).lower()
        # A failure before either login (a token refresh) fails both.
        for protocol in ("smtp", "imap") if stage not in ("smtp", "imap") else (stage,):
            found.setdefault(protocol, (False, error.get("detail")))
    smtp_ok, smtp_error = found.get("smtp", (True, None))
    imap_ok, imap_error = found.get("imap", (True, None))
    return smtp_ok, imap_ok, smtp_error, imap_error


def connection_status(inbox: InboxRecord, smtp_ok: bool, imap_ok: bool) -> str:
    if smtp_ok and imap_ok and inbox.overall_status != InboxStatus.DISABLED:
        return "CONNECTED"
    return "DISCONNECTED" if inbox.overall_status == InboxStatus.DISABLED else "ERROR"


def _client_id(value: object) -> int | None:
    text = str(value) if value is not None else ""
    return int(text) if text.isdigit() else None


def warmup_details(inbox: InboxRecord, sent: int = 0, spam: int = 0) -> WarmupDetails:
    settings = dict(inbox.settings.get("warmup") or {})
    ramp = Ramp.from_settings(settings)
    status = warmup_status(inbox)
    blocked = status is WarmupStatus.PAUSED_BY_SAFETY
    reputation = inbox.warmup_reputation
    return WarmupDetails(
        id=inbox.account_id or 0,
        status="ACTIVE"
        if status in (WarmupStatus.ACTIVE, WarmupStatus.SPAM_FOLDER_UNKNOWN)
        else "INACTIVE",
        total_sent_count=sent,
        total_spam_count=spam,
        warmup_reputation=f"{reputation:g}%" if reputation is not None else "100%",
        reply_rate=int(settings.get("reply_rate_percentage") or 0),
        warmup_key_id=inbox.warmup_key_id,
        is_warmup_blocked=blocked,
        blocked_reason=inbox.warmup_pause_reason if blocked else None,
        warmup_min_count=min(ramp.start_per_day, ramp.emails_per_day),
        warmup_max_count=ramp.emails_per_day,
        max_email_per_day=ramp.emails_per_day,
    )


def account_object(inbox: InboxRecord, sent: int = 0, spam: int = 0) -> SmartLeadAccount:
    """`sent` and `spam`: warm-up's 7-day counts, where the caller read them."""
    smtp_ok, imap_ok, smtp_error, imap_error = login_results(inbox)
    settings = inbox.settings
    warmup = dict(settings.get("warmup") or {})
    ramp = Ramp.from_settings(warmup)
    return SmartLeadAccount(
        id=inbox.account_id or 0,
        created_at=inbox.created_at,
        updated_at=inbox.updated_at,
        from_name=inbox.display_name,
        from_email=inbox.email_address,
        username=inbox.smtp_username or inbox.email_address,
        smtp_host=inbox.smtp_host or "",
        smtp_port=inbox.smtp_port or 0,
        smtp_port_type=PORT_TYPES.get(inbox.smtp_security or "", "TLS"),
        imap_host=inbox.imap_host or "",
        imap_port=inbox.imap_port or 0,
        imap_port_type=PORT_TYPES.get(inbox.imap_security or "", "SSL"),
        message_per_day=inbox.daily_limit,
        max_email_per_day=inbox.daily_limit,
        daily_sent_count=todays_count(inbox),
        type=TYPE_NAMES[InboxType(inbox.inbox_type)],
        client_id=_client_id(settings.get("client_id")),
        is_smtp_success=smtp_ok,
        is_imap_success=imap_ok,
        smtp_failure_error=smtp_error,
        imap_failure_error=imap_error,
        is_suspended=inbox.overall_status == InboxStatus.PAUSED,
        connection_status=connection_status(inbox, smtp_ok, imap_ok),  # type: ignore[arg-type]
        warmup_enabled=bool(warmup.get("enabled")),
        total_warmup_per_day=ramp.emails_per_day,
        daily_rampup=ramp.daily_rampup,
        signature=settings.get("signature"),
        custom_tracking_domain=settings.get("tracking_domain"),
        bcc_email=settings.get("bcc"),
        minTimeToWaitInMins=int(settings.get("min_minutes_between_emails") or 0),
        different_reply_to_address=settings.get("reply_to"),
        warmup_details=warmup_details(inbox, sent, spam),
    )
