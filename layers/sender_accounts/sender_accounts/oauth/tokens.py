"""A mailbox's OAuth2 tokens: sealed under KMS, refreshed at the provider, and what a refused
or failed refresh means in the contract's error classes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sender_accounts.adapters.ports import SecretVault
from sender_accounts.config import Settings
from sender_accounts.mail.outcome import ErrorCode, StageFailure
from sender_accounts.mail.redaction import redact
from sender_accounts.oauth.token_endpoint import (
    EndpointRefused,
    GrantedTokens,
    TokenEndpointUnreachable,
    TokenRequestRefused,
    granted,
    post_form,
)

if TYPE_CHECKING:  # a refresh is handed the client; the app store and its models load elsewhere
    from sender_accounts.oauth.apps import OAuthClient

TOKENS_PURPOSE = "oauth_tokens"
# An access token this close to its expiry is refreshed before use: a login that starts with
# seconds left could be refused midway.
REFRESH_MARGIN_SECONDS = 120
RECONNECT_HINT = (
    "The provider no longer accepts this mailbox's refresh token (revoked, expired or the "
    "password changed): connect the mailbox again through the consent flow "
    "(POST /oauth/authorizations) or PATCH a new token."
)


def tokens_context(workspace_id: str, inbox_id: str) -> dict[str, str]:
    return {"workspace_id": workspace_id, "inbox_id": inbox_id, "purpose": TOKENS_PURPOSE}


@dataclass(frozen=True)
class MailboxTokens:
    """An access token, the refresh token and when the access token expires (epoch seconds);
    repr shows no token."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: int = 0

    def usable(self, now: float | None = None) -> bool:
        return self.expires_at - REFRESH_MARGIN_SECONDS > (now or time.time())

    def secrets(self) -> list[str]:
        return [self.access_token, self.refresh_token]


def seal_tokens(
    vault: SecretVault, tokens: MailboxTokens, workspace_id: str, inbox_id: str
) -> bytes:
    sealed = {
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "expires_at": tokens.expires_at,
    }
    return vault.seal_secrets(sealed, tokens_context(workspace_id, inbox_id))


def open_tokens(
    vault: SecretVault, ciphertext: bytes, workspace_id: str, inbox_id: str
) -> MailboxTokens:
    opened = vault.open_secrets(ciphertext, tokens_context(workspace_id, inbox_id))
    return MailboxTokens(
        str(opened["access_token"]), str(opened["refresh_token"]), int(opened["expires_at"])
    )


class RefreshFailed(Exception):
    """A refresh (or code exchange) that did not give tokens, as a stage failure to show."""

    def __init__(self, failure: StageFailure) -> None:
        super().__init__(failure.detail)
        self.failure = failure


def _failure(exc: Exception, secrets: list[str]) -> StageFailure:
    if isinstance(exc, TokenRequestRefused):
        reply = exc.error + (f": {exc.description}" if exc.description else "")
        reply = redact(reply, [("", secret) for secret in secrets])
        if exc.error == "invalid_grant":
            return StageFailure(
                "oauth", ErrorCode.AUTH_FAILED,
                "OAUTH token refresh failed: the refresh token was refused", reply, RECONNECT_HINT,
            )  # fmt: skip
        if exc.error in {"invalid_client", "unauthorized_client"}:
            return StageFailure(
                "oauth", ErrorCode.AUTH_FAILED,
                "OAUTH token request failed: the provider refused the OAuth app's credentials",
                reply, "Check the OAuth app's client_id and client_secret at the provider.",
            )  # fmt: skip
        return StageFailure(
            "oauth", ErrorCode.CONNECTION_FAILED, "OAUTH token request failed", reply
        )
    if isinstance(exc, EndpointRefused):
        return StageFailure(
            "oauth", ErrorCode.HOST_NOT_ALLOWED, f"OAUTH token endpoint refused: {exc.reason}"
        )
    assert isinstance(exc, TokenEndpointUnreachable)
    return StageFailure("oauth", ErrorCode(exc.kind), f"OAUTH token request failed: {exc.reason}")


class TokenEndpoint(Protocol):
    """A provider's token endpoint: refreshing, and exchanging a consent's code."""

    def refresh(self, client: OAuthClient, refresh_token: str) -> MailboxTokens: ...

    def exchange_code(
        self, client: OAuthClient, code: str, verifier: str, redirect_uri: str
    ) -> tuple[MailboxTokens, str | None]: ...


class TokenRequests:
    """The two requests a mailbox's tokens come from: the consent's code and a refresh."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def _post(self, client: OAuthClient, form: dict[str, str], secrets: list[str]) -> Any:
        form = {**form, "client_id": client.client_id, "client_secret": client.client_secret}
        timeout = self._settings.mail_step_timeout_seconds
        try:
            return granted(
                post_form(client.token_url, form, self._settings.outbound_policy, timeout)
            )
        except (TokenRequestRefused, EndpointRefused, TokenEndpointUnreachable) as exc:
            raise RefreshFailed(_failure(exc, [*secrets, client.client_secret])) from None

    def refresh(self, client: OAuthClient, refresh_token: str) -> MailboxTokens:
        """New tokens; the refresh token kept when the provider does not rotate it."""
        answer: GrantedTokens = self._post(
            client, {"grant_type": "refresh_token", "refresh_token": refresh_token}, [refresh_token]
        )
        return MailboxTokens(
            answer.access_token,
            answer.refresh_token or refresh_token,
            int(time.time()) + answer.expires_in,
        )

    def exchange_code(
        self, client: OAuthClient, code: str, verifier: str, redirect_uri: str
    ) -> tuple[MailboxTokens, str | None]:
        """The consent's tokens and its ID token (None when the provider sent none)."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": redirect_uri,
        }
        answer: GrantedTokens = self._post(client, form, [code, verifier])
        if answer.refresh_token is None:
            failure = StageFailure(
                "oauth", ErrorCode.AUTH_FAILED, "OAUTH consent gave no refresh token", None,
                "Grant offline access (Microsoft: the offline_access scope) and consent again.",
            )  # fmt: skip
            raise RefreshFailed(failure)
        tokens = MailboxTokens(
            answer.access_token, answer.refresh_token, int(time.time()) + answer.expires_in
        )
        return tokens, answer.id_token
