"""One stored inbox, read or deleted: no validation and no mail, so the functions that only
read or delete load neither the mail libraries nor the creation rules."""

from __future__ import annotations

from sender_accounts.accounts.models import DeleteSenderAccountResponse, SenderAccountDetail
from sender_accounts.accounts.views import public_detail
from sender_accounts.adapters.observability import metrics
from sender_accounts.adapters.ports import EventBus
from sender_accounts.common.events import SenderAccountDeleted
from sender_accounts.store.ports import Inboxes


class StoredAccounts:
    def __init__(self, repository: Inboxes, events: EventBus) -> None:
        self._repository = repository
        self._events = events

    def get(self, workspace_id: str, inbox_id: str) -> SenderAccountDetail:
        return public_detail(self._repository.get_inbox(workspace_id, inbox_id))

    def delete(self, workspace_id: str, inbox_id: str) -> DeleteSenderAccountResponse:
        inbox = self._repository.delete_inbox(workspace_id, inbox_id)
        metrics.add_metric(name="SenderAccountsDeleted", unit="Count", value=1)
        self._events.publish(
            SenderAccountDeleted(
                workspace_id=workspace_id,
                inbox_id=inbox_id,
                email_address=inbox.email_address,
                old_status=inbox.overall_status,
            )
        )
        return DeleteSenderAccountResponse(
            message="Sender account deleted successfully", inbox_id=inbox_id
        )
