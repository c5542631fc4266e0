"""OAuth2: OAuth apps, connecting OAuth2 mailboxes, the consent flow, and the logins of stored
inboxes, which every use that connects to a stored mailbox takes from here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sender_accounts.adapters.aws_clients import client
from sender_accounts.components import Component, env
from sender_accounts.composition.core import connection_capacity, events, repository, vault
from sender_accounts.config import get_settings

if TYPE_CHECKING:
    from sender_accounts.oauth.apps import OAuthAppService
    from sender_accounts.oauth.connect import OAuthAccountService
    from sender_accounts.oauth.consent import ConsentFlow
    from sender_accounts.oauth.inbox_tokens import StoredLogins


def _oauth_apps() -> OAuthAppService:
    from sender_accounts.oauth.apps import OAuthAppService
    from sender_accounts.store.oauth_apps import OAuthAppStore

    store = OAuthAppStore(client("dynamodb"), env("TABLE_NAME"))
    return OAuthAppService(store, vault.get(), get_settings())


def _oauth_accounts() -> OAuthAccountService:
    from sender_accounts.accounts.connection_validation import real_validation
    from sender_accounts.oauth.connect import OAuthAccountService
    from sender_accounts.oauth.tokens import TokenRequests

    settings = get_settings()
    requests = TokenRequests(settings)
    return OAuthAccountService(
        repository.get(), vault.get(), events.get(), settings, oauth_apps.get(), requests,
        real_validation, connection_capacity.get(),
    )  # fmt: skip


def _consents() -> ConsentFlow:
    from sender_accounts.oauth.consent import ConsentFlow
    from sender_accounts.oauth.tokens import TokenRequests
    from sender_accounts.store.consents import ConsentStore

    store = ConsentStore(client("dynamodb"), env("TABLE_NAME"))
    requests = TokenRequests(get_settings())
    return ConsentFlow(store, vault.get(), oauth_accounts.get(), requests)


def _stored_logins() -> StoredLogins:
    from sender_accounts.oauth.inbox_tokens import InboxTokens, StoredLogins
    from sender_accounts.oauth.tokens import TokenRequests

    requests = TokenRequests(get_settings())
    tokens = InboxTokens(repository.get(), vault.get(), oauth_apps.get, requests)
    return StoredLogins(vault.get(), tokens)


oauth_apps = Component(_oauth_apps, ("TABLE_NAME",), uses=(vault,))
oauth_accounts = Component(
    _oauth_accounts, uses=(repository, vault, events, oauth_apps, connection_capacity)
)
consents = Component(_consents, ("TABLE_NAME",), uses=(vault, oauth_accounts))
stored_logins = Component(_stored_logins, uses=(repository, vault, oauth_apps))
