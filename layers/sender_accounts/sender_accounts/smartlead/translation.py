"""SmartLead's fields to the requests ColdSend's surface takes, so both surfaces run the same
use cases: a save becomes a creation (kept, with its errors, when validation fails, as
SmartLead keeps it) or an update; warm-up fields become the engine's settings. A problem is
reported under the SmartLead name the client sent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from sender_accounts.accounts.models import CreateSmtpAccountRequest, UpdateSenderAccountRequest
from sender_accounts.smartlead.errors import FieldsInvalid, missing
from sender_accounts.smartlead.fields import (
    AccountSettings,
    SaveAccountRequest,
    SaveOAuthRequest,
    WarmupFields,
)

if TYPE_CHECKING:
    from sender_accounts.oauth.models import CreateOAuthAccountRequest

# Our field (or nested warm-up field) to the SmartLead field that carries it.
SMARTLEAD_NAME = {
    "email_address": "from_email",
    "display_name": "from_name",
    "smtp_username": "user_name",
    "smtp_password": "password",
    "imap_username": "imap_user_name",
    "imap_password": "imap_password",
    "daily_limit": "max_email_per_day",
    "tracking_domain": "custom_tracking_url",
    "reply_to": "different_reply_to_address",
    "min_minutes_between_emails": "time_to_wait_in_mins",
    "suspended": "is_suspended",
    "status": "is_suspended",
    "inbox_type": "type",
    "enabled": "warmup_enabled",
    "emails_per_day": "total_warmup_per_day",
}
REQUIRED_TO_CREATE = ("from_email", "from_name", "user_name", "password", "smtp_host",
                      "smtp_port", "imap_host", "imap_port")  # fmt: skip

Request = TypeVar("Request", bound=BaseModel)


def _validated(model: type[Request], data: dict[str, Any]) -> Request:
    try:
        return model.model_validate(data)
    except ValidationError as invalid:
        problems = []
        for error in invalid.errors():
            names = [str(part) for part in error["loc"] if isinstance(part, str)]
            name = SMARTLEAD_NAME.get(names[-1], names[-1]) if names else "body"
            message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
            problems.append({"loc": ["body", name], "msg": message, "type": error["type"]})
        raise FieldsInvalid(problems) from None


def warmup_settings(body: WarmupFields, **more: Any) -> dict[str, Any] | None:
    given = {
        "enabled": body.warmup_enabled,
        "emails_per_day": body.total_warmup_per_day,
        "daily_rampup": body.daily_rampup,
        "reply_rate_percentage": body.reply_rate_percentage,
        **more,
    }
    kept = {name: value for name, value in given.items() if value is not None}
    return kept or None


def _settings(body: AccountSettings) -> dict[str, Any]:
    fields = body.model_fields_set
    given = {
        "tracking_domain": body.custom_tracking_url,
        "bcc": body.bcc,
        "signature": body.signature,
        "reply_to": body.different_reply_to_address,
        "min_minutes_between_emails": body.time_to_wait_in_mins,
        "client_id": body.client_id,
    }
    smartlead = {"tracking_domain": "custom_tracking_url", "reply_to": "different_reply_to_address",
                 "min_minutes_between_emails": "time_to_wait_in_mins"}  # fmt: skip
    # A field sent empty clears the setting; one not sent leaves it as it is.
    settings: dict[str, Any] = {k: v for k, v in given.items() if smartlead.get(k, k) in fields}
    warmup = warmup_settings(body)
    if warmup is not None:
        settings["warmup"] = warmup
    return settings


def creation(body: SaveAccountRequest) -> CreateSmtpAccountRequest:
    """A save without `id`: every connection field is needed; failed validation still stores."""
    present = {**body.model_dump(), "user_name": body.login}
    absent = [name for name in REQUIRED_TO_CREATE if present.get(name) is None]
    if absent:
        raise missing(*absent)
    data = {
        "email_address": body.from_email,
        "display_name": body.from_name,
        "smtp_host": body.smtp_host,
        "smtp_port": body.smtp_port,
        "smtp_username": body.login,
        "smtp_password": body.password,
        "imap_host": body.imap_host,
        "imap_port": body.imap_port,
        "imap_username": body.imap_user_name or body.login,
        "imap_password": body.imap_password or body.password,
        "on_validation_failure": "store",
        **({"inbox_type": body.type} if body.type else {"inbox_type": "CUSTOM_SMTP"}),
        **({"daily_limit": body.max_email_per_day} if body.max_email_per_day else {}),
        **({"suspended": body.is_suspended} if body.is_suspended is not None else {}),
        **{k: v for k, v in _settings(body).items() if v is not None},
    }
    return _validated(CreateSmtpAccountRequest, data)


def update(body: AccountSettings) -> UpdateSenderAccountRequest:
    """A save with `id`, or POST /{id}: only what was sent changes."""
    data: dict[str, Any] = _settings(body)
    if body.from_name is not None:
        data["display_name"] = body.from_name
    if body.max_email_per_day is not None:
        data["daily_limit"] = body.max_email_per_day
    if body.is_suspended is not None:
        data["status"] = "PAUSED" if body.is_suspended else "ACTIVE"
    if isinstance(body, SaveAccountRequest):
        connection = {
            "smtp_host": body.smtp_host,
            "smtp_port": body.smtp_port,
            "smtp_username": body.login,
            "smtp_password": body.password,
            "imap_host": body.imap_host,
            "imap_port": body.imap_port,
            "imap_username": body.imap_user_name,
            "imap_password": body.imap_password,
        }
        data.update({k: v for k, v in connection.items() if v is not None})
    return _validated(UpdateSenderAccountRequest, data)


def validated_update(data: dict[str, Any]) -> UpdateSenderAccountRequest:
    return _validated(UpdateSenderAccountRequest, data)


def oauth_creation(body: SaveOAuthRequest, oauth_app_id: str) -> CreateOAuthAccountRequest:
    data = {
        "email_address": body.from_email,
        "display_name": body.from_name or body.from_email,
        "inbox_type": body.type,
        "oauth_app_id": oauth_app_id,
        "token": body.token.model_dump(),
        "on_validation_failure": "store",
        **({"daily_limit": body.max_email_per_day} if body.max_email_per_day else {}),
        **({"suspended": body.is_suspended} if body.is_suspended is not None else {}),
        **{k: v for k, v in _settings(body).items() if v is not None},
    }
    from sender_accounts.oauth.models import CreateOAuthAccountRequest  # the OAuth save's only

    return _validated(CreateOAuthAccountRequest, data)
