"""SmartLead's account routes by integer id, over the use cases ColdSend's routes call: save
(create or update), read, update, delete, warm-up settings, suspend and unsuspend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from sender_accounts.errors import NotFound
from sender_accounts.smartlead import translation
from sender_accounts.smartlead.account_object import (
    SmartLeadAccount,
    account_object,
    login_results,
    warmup_details,
)
from sender_accounts.smartlead.answers import (
    Deleted,
    Done,
    SaveAnswer,
    SavedAccount,
    Suspension,
    SuspensionAnswer,
)
from sender_accounts.smartlead.errors import AccountNotFound, SuspensionTargetMissing
from sender_accounts.smartlead.fields import SaveAccountRequest, UpdateAccountRequest, WarmupRequest
from sender_accounts.store.ports import Inboxes
from sender_accounts.store.records import InboxRecord

if TYPE_CHECKING:
    from sender_accounts.accounts.service import SenderAccountService
    from sender_accounts.accounts.stored import StoredAccounts
    from sender_accounts.accounts.update import UpdateService


class AccountLookup(Protocol):
    def find(self, account_id: int) -> tuple[str, str] | None: ...


class WarmupCounts(Protocol):
    def seven_days(self, workspace_id: str, inbox_id: str) -> tuple[int, int]: ...


def saved_answer(inbox: InboxRecord, message: str) -> SaveAnswer:
    smtp_ok, imap_ok, _, _ = login_results(inbox)
    account_id = inbox.account_id or 0
    return SaveAnswer(
        message=message,
        id=account_id,
        emailAccountId=account_id,
        warmupKey=inbox.warmup_key_id,
        data=SavedAccount(
            id=account_id,
            from_email=inbox.email_address,
            is_smtp_success=smtp_ok,
            is_imap_success=imap_ok,
            warmup_details=warmup_details(inbox),
        ),
    )


class SmartLeadAccounts:
    def __init__(
        self,
        ids: AccountLookup,
        inboxes: Inboxes,
        accounts: SenderAccountService | None = None,
        updates: UpdateService | None = None,
        counts: WarmupCounts | None = None,
        stored: StoredAccounts | None = None,
    ) -> None:
        """Each route's function builds only the collaborators its route calls."""
        self._ids = ids
        self._inboxes = inboxes
        self._accounts = accounts
        self._updates = updates
        self._counts = counts
        self._stored = stored

    def inbox_id(self, workspace_id: str, account_id: int) -> str:
        """The inbox behind `account_id` in this workspace; 404 for another workspace's."""
        found = self._ids.find(account_id)
        if found is None or found[0] != workspace_id:
            raise AccountNotFound(account_id)
        return found[1]

    def _inbox(self, workspace_id: str, account_id: int) -> InboxRecord:
        try:
            return self._inboxes.get_inbox(workspace_id, self.inbox_id(workspace_id, account_id))
        except NotFound:  # deleted between the lookup and the read
            raise AccountNotFound(account_id) from None

    def save(self, workspace_id: str, body: SaveAccountRequest) -> SaveAnswer:
        assert self._accounts is not None
        assert self._updates is not None
        if body.id is not None:
            inbox_id = self.inbox_id(workspace_id, body.id)
            self._updates.update(workspace_id, inbox_id, translation.update(body))
            inbox = self._inbox(workspace_id, body.id)
            return saved_answer(inbox, "Email account updated successfully!")
        inbox = self._accounts.create_stored(workspace_id, translation.creation(body))
        return saved_answer(inbox, "Email account added successfully!")

    def get(
        self, workspace_id: str, account_id: int, campaigns: bool, tags: bool
    ) -> SmartLeadAccount:
        inbox = self._inbox(workspace_id, account_id)
        sent, spam = (
            self._counts.seven_days(workspace_id, inbox.inbox_id) if self._counts else (0, 0)
        )
        account = account_object(inbox, sent, spam)
        # This API runs no campaigns and keeps no tags: asked for, they are empty.
        return account.model_copy(
            update={"campaign_ids": [] if campaigns else None, "tags": [] if tags else None}
        )

    def update(self, workspace_id: str, account_id: int, body: UpdateAccountRequest) -> Done:
        assert self._updates is not None
        inbox_id = self.inbox_id(workspace_id, account_id)
        self._updates.update(workspace_id, inbox_id, translation.update(body))
        return Done(message="Email account updated successfully!")

    def warmup(self, workspace_id: str, account_id: int, body: WarmupRequest) -> Done:
        assert self._updates is not None
        inbox_id = self.inbox_id(workspace_id, account_id)
        extra = {"is_rampup_enabled": body.is_rampup_enabled}
        warmup = translation.warmup_settings(body, **extra)
        change = translation.validated_update({"warmup": warmup})
        self._updates.update(workspace_id, inbox_id, change)
        return Done(message="Warmup settings updated successfully!")

    def delete(self, workspace_id: str, account_id: int) -> Deleted:
        assert self._stored is not None
        inbox_id = self.inbox_id(workspace_id, account_id)
        try:
            self._stored.delete(workspace_id, inbox_id)
        except NotFound:
            raise AccountNotFound(account_id) from None
        return Deleted(message="Email account deleted successfully!", emailAccountId=account_id)

    def suspend(self, workspace_id: str, account_id: int, suspended: bool) -> SuspensionAnswer:
        """PUT suspend (pause) and DELETE unsuspend (resume)."""
        assert self._updates is not None
        try:
            inbox_id = self.inbox_id(workspace_id, account_id)
        except AccountNotFound:
            raise SuspensionTargetMissing() from None
        change = translation.validated_update({"status": "PAUSED" if suspended else "ACTIVE"})
        self._updates.update(workspace_id, inbox_id, change)
        verb = "suspended" if suspended else "unsuspended"
        return SuspensionAnswer(
            message=f"Email account {verb} successfully",
            data=Suspension(accountId=account_id, isSuspended=suspended),
        )
