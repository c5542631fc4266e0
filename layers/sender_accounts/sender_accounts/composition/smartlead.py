"""SmartLead's email-account surface: the same use cases as ColdSend's, behind integer ids."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sender_accounts.adapters.aws_clients import client
from sender_accounts.components import Component, env
from sender_accounts.composition.accounts import accounts, stored_accounts, updates
from sender_accounts.composition.core import repository
from sender_accounts.composition.health import bulk_checks
from sender_accounts.composition.oauth import oauth_accounts, oauth_apps
from sender_accounts.composition.warmup import warmup_reports

if TYPE_CHECKING:
    from sender_accounts.smartlead.accounts import SmartLeadAccounts, WarmupCounts
    from sender_accounts.smartlead.listing import SmartLeadListing
    from sender_accounts.smartlead.oauth_save import SmartLeadOAuthSave
    from sender_accounts.smartlead.reconnect import SmartLeadReconnect
    from sender_accounts.smartlead.warmup_stats import SmartLeadWarmupStats


def _by_id(with_accounts: bool = False, with_updates: bool = False, deletes: bool = False,
           counts: WarmupCounts | None = None) -> SmartLeadAccounts:  # fmt: skip
    from sender_accounts.smartlead.accounts import SmartLeadAccounts
    from sender_accounts.store.account_ids import AccountIds
    from sender_accounts.store.dynamo import Dynamo

    ids = AccountIds(Dynamo(client("dynamodb")), env("TABLE_NAME"))
    return SmartLeadAccounts(
        ids,
        repository.get(),
        accounts.get() if with_accounts else None,
        updates.get() if with_updates else None,
        counts,
        stored_accounts.get() if deletes else None,
    )


def _stats() -> SmartLeadWarmupStats:
    from sender_accounts.smartlead.warmup_stats import SmartLeadWarmupStats

    return SmartLeadWarmupStats(warmup_reports.get())


def _lists() -> SmartLeadListing:
    from sender_accounts.smartlead.listing import SmartLeadListing
    from sender_accounts.store.inbox_batches import InboxBatches
    from sender_accounts.store.inbox_lists import InboxLists
    from sender_accounts.store.search_index import InboxSearch

    table = env("TABLE_NAME")
    dynamodb = client("dynamodb")
    return SmartLeadListing(
        InboxLists(dynamodb, table), InboxSearch(dynamodb, table), InboxBatches(dynamodb, table)
    )


def _oauth_saves() -> SmartLeadOAuthSave:
    from sender_accounts.smartlead.oauth_save import SmartLeadOAuthSave

    return SmartLeadOAuthSave(oauth_apps.get(), oauth_accounts.get())


def _reconnects() -> SmartLeadReconnect:
    from sender_accounts.smartlead.reconnect import SmartLeadReconnect

    return SmartLeadReconnect(bulk_checks.get())


_table = ("TABLE_NAME",)
smartlead_ids = Component(_by_id, _table, uses=(repository,))
smartlead_saves = Component(
    lambda: _by_id(with_accounts=True, with_updates=True), _table,
    uses=(repository, accounts, updates),
)  # fmt: skip
smartlead_changes = Component(lambda: _by_id(with_updates=True), _table, uses=(repository, updates))
smartlead_deletes = Component(
    lambda: _by_id(deletes=True), _table, uses=(repository, stored_accounts)
)
smartlead_stats = Component(_stats, uses=(warmup_reports,))
smartlead_reads = Component(
    lambda: _by_id(counts=smartlead_stats.get()), _table, uses=(repository, smartlead_stats)
)
smartlead_lists = Component(_lists, _table)
smartlead_oauth_saves = Component(_oauth_saves, uses=(oauth_apps, oauth_accounts))
smartlead_reconnects = Component(_reconnects, uses=(bulk_checks,))
