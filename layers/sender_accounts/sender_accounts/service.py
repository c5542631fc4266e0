"""Sender-account use cases: create (validated for real), read, list and delete."""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from .aws_clients import client
from .config import IpNetwork, Settings, get_settings
from .errors import ConnectionValidationFailed, DuplicateAddress
from .events import EventPublisher
from .mail.endpoints import MailServerLogin, imap_security, smtp_security
from .mail.validation import StageFailure, failure_body, validate_mailbox
from .models import (
    CreateAccountResponse,
    CreateSmtpAccountRequest,
    DeleteSenderAccountResponse,
    InboxStatus,
    ListQuery,
    ListSenderAccountsResponse,
    Pagination,
    SenderAccountDetail,
    SenderAccountSummary,
    SortField,
    SortOrder,
    ValidationFailurePolicy,
)
from .observability import logger, metrics
from .password_vault import PasswordVault
from .repository import SenderAccountRepository

MailboxValidator = Callable[
    [MailServerLogin, MailServerLogin, Sequence[IpNetwork], float, float],
    Coroutine[Any, Any, list[StageFailure]],
]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def logins_for(request: CreateSmtpAccountRequest) -> tuple[MailServerLogin, MailServerLogin]:
    smtp = MailServerLogin(
        host=request.smtp_host,
        port=request.smtp_port,
        security=smtp_security(request.smtp_port, request.smtp_use_tls, request.smtp_security),
        username=request.smtp_username,
        password=request.smtp_password,
    )
    imap = MailServerLogin(
        host=request.imap_host,
        port=request.imap_port,
        security=imap_security(request.imap_port, request.imap_use_ssl, request.imap_security),
        username=request.imap_username,
        password=request.imap_password,
    )
    return smtp, imap


class SenderAccountService:
    def __init__(
        self,
        repository: SenderAccountRepository,
        vault: PasswordVault,
        events: EventPublisher,
        settings: Settings,
        validator: MailboxValidator = validate_mailbox,
    ) -> None:
        self._repository = repository
        self._vault = vault
        self._events = events
        self._settings = settings
        self._validator = validator

    def validate(self, request: CreateSmtpAccountRequest) -> list[StageFailure]:
        smtp, imap = logins_for(request)
        settings = self._settings
        return asyncio.run(
            self._validator(
                smtp,
                imap,
                settings.allowed_private_networks,
                settings.mail_step_timeout_seconds,
                settings.validation_deadline_seconds,
            )
        )

    def create_smtp_account(
        self, workspace_id: str, request: CreateSmtpAccountRequest
    ) -> CreateAccountResponse:
        # A cheap early answer for the common duplicate; the transaction below is the guarantee.
        if self._repository.address_taken(workspace_id, request.email_address):
            raise DuplicateAddress(request.email_address)
        failures = self.validate(request)
        metrics.add_metric(name="ConnectionValidations", unit="Count", value=1)
        if failures:
            metrics.add_metric(name="ConnectionValidationFailures", unit="Count", value=1)
            logger.info(
                "connection validation failed",
                extra={"error_codes": [f.error_code.value for f in failures]},
            )
            if request.on_validation_failure is ValidationFailurePolicy.REJECT:
                raise ConnectionValidationFailed(failure_body(failures))
        inbox_id = str(uuid.uuid4())
        now = _now()
        if failures:
            status = InboxStatus.DISABLED
        else:
            status = InboxStatus.PAUSED if request.suspended else InboxStatus.ACTIVE
        connection_errors = [failure.as_dict() for failure in failures]
        record: dict[str, Any] = {
            "inbox_id": inbox_id,
            "email_address": request.email_address,
            "email_lower": request.email_address.lower(),
            "display_name": request.display_name,
            "inbox_type": request.inbox_type.value,
            "daily_limit": request.daily_limit,
            "overall_status": status.value,
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
            # Encrypted before anything is written: a KMS failure leaves nothing behind.
            "smtp_password_ciphertext": self._vault.encrypt(
                request.smtp_password, workspace_id, inbox_id, "smtp_password"
            ),
            "imap_password_ciphertext": self._vault.encrypt(
                request.imap_password, workspace_id, inbox_id, "imap_password"
            ),
            "settings": request.settings(),
            "connection_errors": connection_errors,
            "last_validated_at": now,
            "created_at": now,
            "updated_at": now,
        }
        self._repository.create_inbox(
            workspace_id, {k: v for k, v in record.items() if v is not None}
        )
        metrics.add_metric(name="SenderAccountsCreated", unit="Count", value=1)
        self._events.publish(
            "SenderAccountCreated",
            {
                "workspace_id": workspace_id,
                "inbox_id": inbox_id,
                "email_address": request.email_address,
                "inbox_type": request.inbox_type.value,
                "status": status.value,
            },
        )
        return CreateAccountResponse(
            message="SMTP inbox created successfully",
            inbox_id=inbox_id,
            email_address=request.email_address,
            display_name=request.display_name,
            inbox_type=request.inbox_type,
            daily_limit=request.daily_limit,
            overall_status=status,
            created_at=datetime.fromisoformat(now),
            connection_errors=connection_errors or None,
        )

    def get(self, workspace_id: str, inbox_id: str) -> SenderAccountDetail:
        record = self._repository.get_inbox(workspace_id, inbox_id)
        public = {k: v for k, v in record.items() if not k.endswith("_ciphertext")}
        return SenderAccountDetail.model_validate({**public, **public.get("settings", {})})

    def list(self, workspace_id: str, query: ListQuery) -> ListSenderAccountsResponse:
        items = list(
            self._repository.iter_inbox_summaries(
                workspace_id,
                inbox_type=query.inbox_type.value if query.inbox_type else None,
                status=query.status.value if query.status else None,
                search=query.search,
            )
        )
        items.sort(key=_sort_key(query.sort_by), reverse=query.sort_order is SortOrder.DESC)
        total = len(items)
        pages = math.ceil(total / query.limit) if total else 0
        start = (query.page - 1) * query.limit
        page_items = [
            SenderAccountSummary.model_validate(i) for i in items[start : start + query.limit]
        ]
        return ListSenderAccountsResponse(
            message=f"Retrieved {len(page_items)} sender accounts",
            sender_accounts=page_items,
            pagination=Pagination(
                page=query.page,
                limit=query.limit,
                total=total,
                pages=pages,
                has_next=query.page < pages,
                has_prev=query.page > 1 and total > 0,
            ),
        )

    def delete(self, workspace_id: str, inbox_id: str) -> DeleteSenderAccountResponse:
        inbox = self._repository.delete_inbox(workspace_id, inbox_id)
        metrics.add_metric(name="SenderAccountsDeleted", unit="Count", value=1)
        self._events.publish(
            "SenderAccountDeleted",
            {
                "workspace_id": workspace_id,
                "inbox_id": inbox_id,
                "email_address": inbox["email_address"],
                "old_status": inbox["overall_status"],
            },
        )
        return DeleteSenderAccountResponse(
            message="Sender account deleted successfully", inbox_id=inbox_id
        )


def _sort_key(field: SortField) -> Callable[[dict[str, Any]], Any]:
    # The inbox id breaks ties so that pages never overlap or skip an item.
    if field is SortField.HEALTH_SCORE:
        return lambda item: (float(item.get("health_score", 0)), item["inbox_id"])
    if field is SortField.EMAIL_ADDRESS:
        return lambda item: (str(item["email_address"]).lower(), item["inbox_id"])
    return lambda item: (str(item.get(field.value, "")), item["inbox_id"])


@lru_cache(maxsize=1)
def repository() -> SenderAccountRepository:
    return SenderAccountRepository(client("dynamodb"), get_settings().table_name)


@lru_cache(maxsize=1)
def sender_account_service() -> SenderAccountService:
    settings = get_settings()
    return SenderAccountService(
        repository=repository(),
        vault=PasswordVault(client("kms"), settings.kms_key_id),
        events=EventPublisher(client("events"), settings.event_bus_name),
        settings=settings,
    )
