"""The logins of a stored inbox, by password or by OAuth2 token, built in one place for every
use that connects (check, health monitoring, test email).

An OAuth2 inbox's access token is refreshed when it is about to expire; a rotated refresh
token is saved on the condition that the stored one is still the one it replaced, so two
concurrent refreshes never lose a token. A refresh the provider refuses after another process
already rotated the tokens is answered with that process's tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from sender_accounts.accounts.credential_changes import stored_login
from sender_accounts.adapters.ports import SecretVault
from sender_accounts.mail.endpoints import AuthMechanism, MailServerLogin
from sender_accounts.oauth.tokens import (
    MailboxTokens,
    RefreshFailed,
    TokenEndpoint,
    open_tokens,
    seal_tokens,
)
from sender_accounts.store.ports import Inboxes
from sender_accounts.store.records import InboxRecord

if TYPE_CHECKING:  # the app store (and its models) load only where an OAuth2 inbox is composed
    from sender_accounts.oauth.apps import OAuthApps

OAUTH2 = "OAUTH2"


class InboxTokens:
    def __init__(
        self,
        repository: Inboxes,
        vault: SecretVault,
        apps: Callable[[], OAuthApps],
        requests: TokenEndpoint,
    ) -> None:
        """`apps`: the workspace's OAuth apps, asked for when an OAuth2 inbox first needs them
        (a check of a password inbox never loads the app store and its models)."""
        self._repository = repository
        self._vault = vault
        self._apps = apps
        self._requests = requests

    def _stored(self, workspace_id: str, inbox: InboxRecord) -> MailboxTokens:
        ciphertext = bytes(inbox.tokens_ciphertext or b"")
        return open_tokens(self._vault, ciphertext, workspace_id, inbox.inbox_id)

    def app_hosts(self, workspace_id: str, inbox: InboxRecord) -> dict[str, Any]:
        """Where the inbox's app says its mail servers are: an inbox stored with other hosts
        (before apps declared theirs) moves to them at its next connection."""
        assert inbox.oauth_app_id is not None
        servers = self._apps().servers(workspace_id, inbox.oauth_app_id)
        return servers.model_dump(mode="json")

    def usable(self, workspace_id: str, inbox: InboxRecord) -> MailboxTokens:
        """Tokens whose access token can be used now; RefreshFailed when none can be had."""
        tokens = self._stored(workspace_id, inbox)
        if tokens.usable():
            return tokens
        assert inbox.oauth_app_id is not None
        client = self._apps().client(workspace_id, inbox.oauth_app_id)
        try:
            fresh = self._requests.refresh(client, tokens.refresh_token)
        except RefreshFailed:
            latest = self._repository.get_inbox(workspace_id, inbox.inbox_id)
            if latest.token_version != inbox.token_version:
                newer = self._stored(workspace_id, latest)
                if newer.usable():  # another refresh rotated the token we used
                    return newer
            raise
        sealed = seal_tokens(self._vault, fresh, workspace_id, inbox.inbox_id)
        # Lost to a concurrent refresh: its tokens stay stored; ours serve this use.
        self._repository.save_tokens(workspace_id, inbox.inbox_id, sealed, inbox.token_version)
        return fresh


class OAuthTokenSource(Protocol):
    """An OAuth2 inbox's usable tokens and its app's mail hosts (InboxTokens)."""

    def usable(self, workspace_id: str, inbox: InboxRecord) -> MailboxTokens: ...

    def app_hosts(self, workspace_id: str, inbox: InboxRecord) -> dict[str, Any]: ...


class StoredLogins:
    """An inbox's SMTP and IMAP logins as stored, with the secrets they carry (to redact)."""

    def __init__(self, vault: SecretVault, tokens: OAuthTokenSource) -> None:
        self._vault = vault
        self._tokens = tokens

    def logins(
        self, workspace_id: str, inbox: InboxRecord
    ) -> tuple[MailServerLogin, MailServerLogin, list[tuple[str, str]]]:
        if inbox.auth_type == OAUTH2:
            tokens = self._tokens.usable(workspace_id, inbox)
            hosts = self._tokens.app_hosts(workspace_id, inbox)
            token, xoauth2 = tokens.access_token, AuthMechanism.XOAUTH2
            smtp = stored_login(inbox, "smtp", token, xoauth2, hosts)
            imap = stored_login(inbox, "imap", token, xoauth2, hosts)
            secrets = [(inbox.email_address, secret) for secret in tokens.secrets()]
            return smtp, imap, secrets
        ciphertext = bytes(inbox.passwords_ciphertext or b"")
        passwords = self._vault.open(ciphertext, workspace_id, inbox.inbox_id)
        smtp = stored_login(inbox, "smtp", passwords.smtp)
        imap = stored_login(inbox, "imap", passwords.imap)
        return smtp, imap, [(smtp.username, passwords.smtp), (imap.username, passwords.imap)]


__all__ = ["OAUTH2", "InboxTokens", "RefreshFailed", "StoredLogins"]
