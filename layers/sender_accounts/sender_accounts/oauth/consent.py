"""The hosted consent flow: an authorization URL with PKCE (S256) and a single-use state bound
to the workspace, then the provider's callback: code exchanged, the mailbox's address read from
the ID token, the inbox validated and stored, the user's browser sent back to `redirect_uri`.

The state authenticates the callback (it carries no API key): it is 256 random bits, stored only
as its hash, claimed once under a condition, and dead after ten minutes. The PKCE verifier is
sealed under KMS beside it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from sender_accounts.accounts.models import check_email_address
from sender_accounts.adapters.ports import SecretVault
from sender_accounts.common.clock import utc_now
from sender_accounts.common.redirects import check_redirect_uri
from sender_accounts.common.statuses import InboxType
from sender_accounts.common.text_rules import check_single_line
from sender_accounts.errors import InvalidState, NotFound, ServiceError
from sender_accounts.oauth.connect import OAuthAccountService, OAuthMailbox
from sender_accounts.oauth.models import (
    AuthorizationResponse,
    CreateAuthorizationRequest,
)
from sender_accounts.oauth.providers import EXTRA_AUTHORIZE_PARAMETERS, SCOPES
from sender_accounts.oauth.tokens import RefreshFailed, TokenEndpoint
from sender_accounts.store.ports import Consents
from sender_accounts.store.records import ConsentRecord

STATE_SECONDS = 600
VERIFIER_PURPOSE = "oauth_pkce_verifier"
CALLBACK_PATH = "/api/public/v1/oauth/callback"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def state_hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def verifier_context(workspace_id: str, hashed_state: str) -> dict[str, str]:
    return {"workspace_id": workspace_id, "state": hashed_state, "purpose": VERIFIER_PURPOSE}


def email_claim(id_token: str | None) -> str | None:
    """The ID token's `email`. The token came straight from the provider's token endpoint
    over verified TLS, which OpenID Connect Core 3.1.3.7 accepts in place of its signature."""
    if not id_token or id_token.count(".") != 2:
        return None
    body = id_token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    email = claims.get("email") if isinstance(claims, dict) else None
    return email if isinstance(email, str) else None


class EmailClaimRefused(Exception):
    """The ID token's address is missing, or is not one `email_address` would take."""


def mailbox_address(id_token: str | None) -> str:
    """The consenting mailbox's address, validated exactly as `email_address` is: a claim
    with CR/LF, an encoded word or a second `@` never becomes an inbox."""
    email = email_claim(id_token)
    if email is None:
        raise EmailClaimRefused("The provider's ID token carried no email claim")
    try:
        check_single_line(email)
        check_email_address(email)
    except ValueError:
        raise EmailClaimRefused(
            "The provider's ID token carried an address that is not a valid email address"
        ) from None
    if len(email) > 255:
        raise EmailClaimRefused("The provider's ID token carried an address over 255 characters")
    return email


def _back(redirect_uri: str, **values: str) -> str:
    joiner = "&" if urlsplit(redirect_uri).query else "?"
    return f"{redirect_uri}{joiner}{urlencode(values)}"


class ConsentFlow:
    def __init__(
        self,
        store: Consents,
        vault: SecretVault,
        accounts: OAuthAccountService,
        requests: TokenEndpoint,
    ) -> None:
        self._store = store
        self._vault = vault
        self._accounts = accounts
        self._requests = requests

    def start(
        self, workspace_id: str, request: CreateAuthorizationRequest, callback_url: str
    ) -> AuthorizationResponse:
        client = self._accounts.client_for(workspace_id, request.oauth_app_id, request.inbox_type)
        check_redirect_uri(request.redirect_uri, client.redirect_uris)
        state, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
        hashed, expires_at = state_hash(state), int(time.time()) + STATE_SECONDS
        sealed = self._vault.seal_secrets(
            {"verifier": verifier}, verifier_context(workspace_id, hashed)
        )
        kept = request.model_dump(
            mode="json", exclude_none=True,
            include={"display_name", "daily_limit", "login_hint"},
        )  # fmt: skip
        consent = ConsentRecord(
            workspace_id=workspace_id, oauth_app_id=client.oauth_app_id,
            inbox_type=InboxType(request.inbox_type), redirect_uri=request.redirect_uri,
            verifier_ciphertext=sealed, request={**kept, "callback_url": callback_url},
            expires_at=expires_at,
        )  # fmt: skip
        self._store.put(hashed, consent)
        parameters = {
            "client_id": client.client_id,
            "response_type": "code",
            "redirect_uri": callback_url,
            "scope": SCOPES[client.provider],
            "state": state,
            "code_challenge": _b64url(hashlib.sha256(verifier.encode()).digest()),
            "code_challenge_method": "S256",
            **EXTRA_AUTHORIZE_PARAMETERS[client.provider],
        }
        if request.login_hint:
            parameters["login_hint"] = request.login_hint
        joiner = "&" if urlsplit(client.authorize_url).query else "?"
        return AuthorizationResponse(
            authorization_url=f"{client.authorize_url}{joiner}{urlencode(parameters)}",
            state=state,
            expires_at=datetime.fromtimestamp(expires_at, UTC),
        )

    def finish(self, query: dict[str, str]) -> str:
        """Where the user's browser goes next: `redirect_uri` with `inbox_id`, or with `error`
        and `error_code`. InvalidState (400) for a state never issued."""
        state = query.get("state") or ""
        if not state or len(state) > 256:
            raise InvalidState()
        hashed = state_hash(state)
        try:
            consent, claimed = self._store.claim(hashed, int(time.time()), utc_now())
        except NotFound:
            raise InvalidState() from None
        back = consent.redirect_uri
        if not claimed:
            return _back(back, error="The consent was already used or has expired; start "
                         "again", error_code="INVALID_STATE")  # fmt: skip
        if query.get("error"):  # the user declined, or the provider refused the request
            return _back(back, error=str(query["error"])[:100], error_code="CONSENT_DENIED")
        try:
            inbox_id = self._connect(consent, hashed, query.get("code") or "")
        except RefreshFailed as failed:
            return _back(back, error=failed.failure.detail, error_code=failed.failure.error_code)
        except EmailClaimRefused as refused:
            return _back(back, error=str(refused), error_code="INVALID_EMAIL_CLAIM")
        except ServiceError as refused:
            body: dict[str, Any] = refused.body()
            detail = body.get("detail")
            message = detail if isinstance(detail, str) else str(refused)
            return _back(back, error=message[:300], error_code=str(body.get("error_code")))
        return _back(back, inbox_id=inbox_id)

    def _connect(self, consent: ConsentRecord, hashed: str, code: str) -> str:
        workspace_id, kept = consent.workspace_id, consent.request
        client = self._accounts.client_for(workspace_id, consent.oauth_app_id, consent.inbox_type)
        opened = self._vault.open_secrets(
            consent.verifier_ciphertext, verifier_context(workspace_id, hashed)
        )
        tokens, id_token = self._requests.exchange_code(
            client, code, str(opened["verifier"]), str(kept["callback_url"])
        )
        email = mailbox_address(id_token)
        mailbox = OAuthMailbox(
            email_address=email,
            display_name=str(kept.get("display_name") or email),
            inbox_type=consent.inbox_type,
            oauth_app_id=consent.oauth_app_id,
            servers=client.servers,
            daily_limit=int(kept.get("daily_limit", 100)),
        )
        created = self._accounts.connect(workspace_id, mailbox, tokens, client, refreshed=True)
        return created.inbox_id
