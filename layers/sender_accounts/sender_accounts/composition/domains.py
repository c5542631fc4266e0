"""Sending domains and the native inboxes on them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sender_accounts.adapters.aws_clients import client
from sender_accounts.components import Component, env
from sender_accounts.composition.core import dns_lookup, events, repository, signing_key
from sender_accounts.config import get_settings

if TYPE_CHECKING:
    from sender_accounts.domains.listing import DomainListing
    from sender_accounts.domains.service import DomainService
    from sender_accounts.native.service import NativeAccountService


def _domains() -> DomainService:
    from sender_accounts.domains.ownership import OwnershipCheck
    from sender_accounts.domains.service import DomainService
    from sender_accounts.store.domains import DomainStore

    ownership = OwnershipCheck(get_settings().domain_ownership_check, dns_lookup.get())
    store = DomainStore(client("dynamodb"), env("TABLE_NAME"))
    return DomainService(store, client("ses"), events.get(), ownership)


def _domain_lists() -> DomainListing:
    from sender_accounts.domains.listing import DomainListing
    from sender_accounts.store.domain_lists import DomainLists

    lists = DomainLists(client("dynamodb"), env("TABLE_NAME"))
    return DomainListing(lists, domains.get(), signing_key.get())


def _native_accounts() -> NativeAccountService:
    from sender_accounts.native.service import NativeAccountService

    return NativeAccountService(repository.get(), domains.get(), events.get())


domains = Component(_domains, ("TABLE_NAME",), uses=(events, dns_lookup))
domain_lists = Component(_domain_lists, ("TABLE_NAME",), uses=(domains, signing_key))
native_accounts = Component(_native_accounts, uses=(repository, domains, events))
