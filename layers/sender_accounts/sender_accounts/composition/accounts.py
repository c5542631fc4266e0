"""Sender accounts: create, read or delete one, list, update, and test emails."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sender_accounts.adapters.aws_clients import client
from sender_accounts.components import Component, env
from sender_accounts.composition.core import (
    connection_capacity,
    events,
    repository,
    signing_key,
    vault,
)
from sender_accounts.composition.oauth import oauth_accounts, stored_logins
from sender_accounts.config import get_settings

if TYPE_CHECKING:
    from sender_accounts.accounts.listing import SenderAccountListing
    from sender_accounts.accounts.service import SenderAccountService
    from sender_accounts.accounts.stored import StoredAccounts
    from sender_accounts.accounts.update import UpdateService
    from sender_accounts.sending.test_email import TestEmailService


def _accounts() -> SenderAccountService:
    from sender_accounts.accounts.connection_validation import real_validation
    from sender_accounts.accounts.service import SenderAccountService

    return SenderAccountService(
        repository.get(), vault.get(), events.get(), get_settings(), real_validation,
        connection_capacity.get(),
    )  # fmt: skip


def _stored_accounts() -> StoredAccounts:
    from sender_accounts.accounts.stored import StoredAccounts

    return StoredAccounts(repository.get(), events.get())


def _account_lists() -> SenderAccountListing:
    from sender_accounts.accounts.listing import SenderAccountListing
    from sender_accounts.store.inbox_lists import InboxLists
    from sender_accounts.store.search_index import InboxSearch

    table = env("TABLE_NAME")
    search = InboxSearch(client("dynamodb"), table)
    return SenderAccountListing(InboxLists(client("dynamodb"), table), search, signing_key.get())


def _updates() -> UpdateService:
    from sender_accounts.accounts.connection_validation import real_validation
    from sender_accounts.accounts.update import UpdateService

    return UpdateService(
        repository.get(), vault.get(), events.get(), get_settings(), real_validation,
        connection_capacity.get(), oauth_accounts.get(),
    )  # fmt: skip


def _test_emails() -> TestEmailService:
    from sender_accounts.sending.test_email import TestEmailService, real_transport

    return TestEmailService(
        repository.get(), vault.get(), get_settings(), client("ses"), real_transport,
        stored_logins.get(), connection_capacity.get(),
    )  # fmt: skip


accounts = Component(_accounts, uses=(repository, vault, events, connection_capacity))
stored_accounts = Component(_stored_accounts, uses=(repository, events))
account_lists = Component(_account_lists, ("TABLE_NAME",), uses=(signing_key,))
updates = Component(_updates, uses=(repository, vault, events, connection_capacity, oauth_accounts))
test_emails = Component(_test_emails, uses=(repository, vault, connection_capacity, stored_logins))
