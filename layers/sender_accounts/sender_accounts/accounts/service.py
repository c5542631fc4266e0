"""Creating a sender account, validated for real (stored.py reads and deletes one, listing.py
lists them)."""

from __future__ import annotations

import uuid

from sender_accounts.accounts.connection_validation import validated_now
from sender_accounts.accounts.creation import created_answer, judge_validation, store_new_inbox
from sender_accounts.accounts.inbox_use_case import InboxUseCase
from sender_accounts.accounts.models import (
    CreateAccountResponse,
    CreateSmtpAccountRequest,
)
from sender_accounts.accounts.records import (
    logins_for,
    new_inbox_record,
    passwords_of,
    with_detected_modes,
)
from sender_accounts.common.clock import utc_now
from sender_accounts.errors import DuplicateAddress
from sender_accounts.mail.outcome import StageFailure
from sender_accounts.store.records import InboxRecord


class SenderAccountService(InboxUseCase):
    def validate(
        self, workspace_id: str, request: CreateSmtpAccountRequest
    ) -> tuple[list[StageFailure], CreateSmtpAccountRequest]:
        """The failures, and the request with the modes the servers turned out to speak."""
        smtp, imap = logins_for(request)
        admission = self._admission(workspace_id)
        failures = validated_now(smtp, imap, self._settings, self._validator, admission)
        return failures, with_detected_modes(request, smtp, imap)

    def create_smtp_account(
        self, workspace_id: str, request: CreateSmtpAccountRequest
    ) -> CreateAccountResponse:
        stored = self.create_stored(workspace_id, request)
        return created_answer(stored, "SMTP inbox created successfully")

    def create_stored(self, workspace_id: str, request: CreateSmtpAccountRequest) -> InboxRecord:
        """The inbox created, as stored: what SmartLead's save answers with, not read back."""
        # A cheap early answer for the common duplicate; the transaction below is the guarantee.
        if self._repository.address_taken(workspace_id, request.email_address):
            raise DuplicateAddress(request.email_address)
        failures, request = self.validate(workspace_id, request)
        judge_validation(failures, request.on_validation_failure)
        inbox_id = str(uuid.uuid4())
        # Encrypted before anything is written: a KMS failure leaves nothing behind.
        sealed = self._vault.seal(passwords_of(request), workspace_id, inbox_id)
        record = new_inbox_record(inbox_id, request, failures, sealed, utc_now())
        return store_new_inbox(self._repository, self._events, workspace_id, record)
