"""Sender-account use cases: create (validated for real), read and delete (listing.py lists)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

from sender_accounts.accounts.connection_validation import validate_connection
from sender_accounts.accounts.inbox_use_case import InboxUseCase
from sender_accounts.accounts.models import (
    CreateAccountResponse,
    CreateSmtpAccountRequest,
    DeleteSenderAccountResponse,
    InboxStatus,
    SenderAccountDetail,
    ValidationFailurePolicy,
)
from sender_accounts.accounts.records import (
    logins_for,
    new_inbox_record,
    passwords_of,
    with_detected_modes,
)
from sender_accounts.accounts.views import public_detail
from sender_accounts.adapters.observability import logger, metrics
from sender_accounts.common.clock import utc_now
from sender_accounts.errors import ConnectionValidationFailed, DuplicateAddress
from sender_accounts.mail.outcome import StageFailure, failure_body


class SenderAccountService(InboxUseCase):
    def validate(
        self, workspace_id: str, request: CreateSmtpAccountRequest
    ) -> tuple[list[StageFailure], CreateSmtpAccountRequest]:
        """The failures, and the request with the modes the servers turned out to speak."""
        smtp, imap = logins_for(request)
        admission = self._admission(workspace_id)
        failures = asyncio.run(
            validate_connection(smtp, imap, self._settings, self._validator, admission)
        )
        return failures, with_detected_modes(request, smtp, imap)

    def create_smtp_account(
        self, workspace_id: str, request: CreateSmtpAccountRequest
    ) -> CreateAccountResponse:
        # A cheap early answer for the common duplicate; the transaction below is the guarantee.
        if self._repository.address_taken(workspace_id, request.email_address):
            raise DuplicateAddress(request.email_address)
        failures, request = self.validate(workspace_id, request)
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
        now = utc_now()
        # Encrypted before anything is written: a KMS failure leaves nothing behind.
        record = new_inbox_record(
            inbox_id,
            request,
            failures,
            self._vault.seal(passwords_of(request), workspace_id, inbox_id),
            now,
        )
        status = InboxStatus(record.overall_status)
        connection_errors = record.connection_errors
        self._repository.create_inbox(workspace_id, record)
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
        return public_detail(self._repository.get_inbox(workspace_id, inbox_id))

    def delete(self, workspace_id: str, inbox_id: str) -> DeleteSenderAccountResponse:
        inbox = self._repository.delete_inbox(workspace_id, inbox_id)
        metrics.add_metric(name="SenderAccountsDeleted", unit="Count", value=1)
        self._events.publish(
            "SenderAccountDeleted",
            {
                "workspace_id": workspace_id,
                "inbox_id": inbox_id,
                "email_address": inbox.email_address,
                "old_status": inbox.overall_status,
            },
        )
        return DeleteSenderAccountResponse(
            message="Sender account deleted successfully", inbox_id=inbox_id
        )
