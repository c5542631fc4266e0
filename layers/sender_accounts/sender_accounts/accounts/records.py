"""The stored form of a sender account, built the same way for single and bulk creation."""

from __future__ import annotations

from typing import Any

from sender_accounts.accounts.models import CreateSmtpAccountRequest, InboxStatus
from sender_accounts.adapters.password_vault import MailboxPasswords
from sender_accounts.common.check_schedule import first_check_at
from sender_accounts.common.warmup_words import warmup_key
from sender_accounts.mail.endpoints import (
    MailServerLogin,
    detected_modes,
    imap_security,
    smtp_security,
)
from sender_accounts.mail.outcome import StageFailure
from sender_accounts.store.records import InboxRecord


def initial_status(request: CreateSmtpAccountRequest, failures: list[StageFailure]) -> InboxStatus:
    if failures:
        return InboxStatus.DISABLED
    return InboxStatus.PAUSED if request.suspended else InboxStatus.ACTIVE


def new_inbox_record(
    inbox_id: str,
    request: CreateSmtpAccountRequest,
    failures: list[StageFailure],
    passwords_ciphertext: bytes,
    now: str,
) -> InboxRecord:
    """Everything stored for a new inbox; the passwords only as KMS ciphertext."""
    return InboxRecord.model_validate(
        {
            "inbox_id": inbox_id,
            "email_address": request.email_address,
            "email_lower": request.email_address.lower(),
            "display_name": request.display_name,
            "inbox_type": request.inbox_type.value,
            "daily_limit": request.daily_limit,
            "overall_status": initial_status(request, failures).value,
            "emails_sent_today": 0,
            "health_score": 0 if failures else 100,
            "smtp_host": request.smtp_host,
            "smtp_port": request.smtp_port,
            "smtp_username": request.smtp_username,
            "smtp_use_tls": request.smtp_use_tls,
            "imap_host": request.imap_host,
            "imap_port": request.imap_port,
            "imap_username": request.imap_username,
            "imap_use_ssl": request.imap_use_ssl,
            "smtp_security": request.smtp_security.value if request.smtp_security else None,
            "imap_security": request.imap_security.value if request.imap_security else None,
            "passwords_ciphertext": passwords_ciphertext,
            "settings": request.settings(),
            "connection_errors": [failure.as_dict() for failure in failures],
            "last_validated_at": now,
            "next_check_at": first_check_at(now),
            "created_at": now,
            "updated_at": now,
            "warmup_key_id": warmup_key(),
        }
    )


def passwords_of(request: CreateSmtpAccountRequest) -> MailboxPasswords:
    return MailboxPasswords(smtp=request.smtp_password, imap=request.imap_password)


def request_without_secrets(request: CreateSmtpAccountRequest) -> dict[str, Any]:
    """The create request as data that may be stored beside a job: no password in it."""
    return request.model_dump(
        mode="json", exclude={"smtp_password", "imap_password"}, exclude_none=True
    )


def logins_for(request: CreateSmtpAccountRequest) -> tuple[MailServerLogin, MailServerLogin]:
    smtp = MailServerLogin(
        host=request.smtp_host,
        port=request.smtp_port,
        security=smtp_security(request.smtp_port, request.smtp_use_tls, request.smtp_security),
        username=request.smtp_username,
        password=request.smtp_password,
        chosen=request.smtp_security is not None,
        sender=request.email_address,
    )
    imap = MailServerLogin(
        host=request.imap_host,
        port=request.imap_port,
        security=imap_security(request.imap_port, request.imap_use_ssl, request.imap_security),
        username=request.imap_username,
        password=request.imap_password,
        chosen=request.imap_security is not None,
    )
    return smtp, imap


def with_detected_modes(
    request: CreateSmtpAccountRequest, smtp: MailServerLogin, imap: MailServerLogin
) -> CreateSmtpAccountRequest:
    """The request as the servers turned out to speak: a mode found by detection (implicit
    TLS on an unusual port, STARTTLS where TLS was assumed) is stored as the explicit one, so
    later connections use it directly and GET shows it."""
    changes = detected_modes(smtp, imap)
    return request.model_copy(update=changes) if changes else request
