"""OAuth apps: a workspace's client registration at Google or Microsoft, its secret sealed."""

from __future__ import annotations

import ipaddress
import uuid
from dataclasses import dataclass, field
from typing import Protocol

from sender_accounts.adapters.ports import SecretVault
from sender_accounts.common.clock import utc_now
from sender_accounts.common.mail_hosts import MAIL_HOST_FIELDS
from sender_accounts.common.redirects import check_redirect_uri
from sender_accounts.config import Settings
from sender_accounts.errors import FieldRuleViolated
from sender_accounts.mail.endpoints import Security
from sender_accounts.mail.policy import OutboundPolicy, is_address_allowed
from sender_accounts.oauth.models import (
    CreateOAuthAppRequest,
    DeleteOAuthAppResponse,
    MailServerOverrides,
    OAuthApp,
    OAuthAppList,
    OAuthAppResponse,
)
from sender_accounts.oauth.providers import (
    MAIL_SERVERS,
    Provider,
    default_authorize_url,
    default_token_url,
)
from sender_accounts.oauth.token_endpoint import EndpointRefused, pin_endpoint
from sender_accounts.store.ports import OAuthAppRecords
from sender_accounts.store.records import OAuthAppRecord

SECRET_PURPOSE = "oauth_client_secret"  # noqa: S105 - a KMS context label


def client_secret_context(workspace_id: str, oauth_app_id: str) -> dict[str, str]:
    return {"workspace_id": workspace_id, "oauth_app_id": oauth_app_id, "purpose": SECRET_PURPOSE}


@dataclass(frozen=True)
class OAuthClient:
    """An app ready to talk to its provider; repr never shows the secret."""

    oauth_app_id: str
    provider: Provider
    client_id: str
    client_secret: str = field(repr=False)
    authorize_url: str
    token_url: str
    servers: MailServerOverrides
    redirect_uris: tuple[str, ...] = ()


def app_servers(record: OAuthAppRecord) -> MailServerOverrides:
    """The app's mail hosts, each field the provider's where the app did not declare it."""
    usual = MAIL_SERVERS[Provider(record.provider)]
    return MailServerOverrides(
        smtp_host=record.smtp_host or usual.smtp_host,
        smtp_port=record.smtp_port or usual.smtp_port,
        smtp_security=Security(record.smtp_security or Security.STARTTLS.value),
        imap_host=record.imap_host or usual.imap_host,
        imap_port=record.imap_port or usual.imap_port,
        imap_security=Security(record.imap_security or Security.SSL.value),
    )


def public_app(record: OAuthAppRecord) -> OAuthApp:
    shown = record.model_dump(exclude={"client_secret_ciphertext"})
    return OAuthApp.model_validate({**shown, **app_servers(record).model_dump()})


def _check_literal_hosts(request: CreateOAuthAppRequest, policy: OutboundPolicy) -> None:
    """An address written as such must pass the outbound rule now; a name is resolved under
    it at each connection."""
    for name in ("smtp_host", "imap_host"):
        host = getattr(request, name)
        try:
            address = ipaddress.ip_address(host) if host else None
        except ValueError:
            continue
        if address is not None and not is_address_allowed(address, policy):
            raise FieldRuleViolated(name, "is not a publicly routable address")


class OAuthApps(Protocol):
    """What connecting an OAuth2 mailbox needs of a workspace's apps."""

    def client(self, workspace_id: str, oauth_app_id: str) -> OAuthClient: ...

    def servers(self, workspace_id: str, oauth_app_id: str) -> MailServerOverrides: ...


class OAuthAppService:
    def __init__(self, store: OAuthAppRecords, vault: SecretVault, settings: Settings) -> None:
        self._store = store
        self._vault = vault
        self._settings = settings

    def create(self, workspace_id: str, request: CreateOAuthAppRequest) -> OAuthAppResponse:
        urls = {
            "authorize_url": request.authorize_url
            or default_authorize_url(request.provider, request.tenant),
            "token_url": request.token_url or default_token_url(request.provider, request.tenant),
        }
        for name, url in urls.items():
            if getattr(request, name) is None:
                continue  # the provider's own endpoints are not resolved here
            try:
                pin_endpoint(url, self._settings.outbound_policy)
            except EndpointRefused as refused:
                raise FieldRuleViolated(name, refused.reason) from None
        _check_literal_hosts(request, self._settings.outbound_policy)
        for uri in request.redirect_uris or ():
            check_redirect_uri(uri, field="redirect_uris")
        oauth_app_id = str(uuid.uuid4())
        secret = self._vault.seal_secrets(
            {"client_secret": request.client_secret},
            client_secret_context(workspace_id, oauth_app_id),
        )
        record = OAuthAppRecord(
            oauth_app_id=oauth_app_id,
            provider=request.provider.value,
            client_id=request.client_id,
            tenant=request.tenant if request.provider is Provider.MICROSOFT else None,
            client_secret_ciphertext=secret,
            authorize_url=urls["authorize_url"],
            token_url=urls["token_url"],
            created_at=utc_now(),
            redirect_uris=request.redirect_uris,
            **request.model_dump(include=set(MAIL_HOST_FIELDS), exclude_none=True, mode="json"),
        )
        self._store.create(workspace_id, record)
        return OAuthAppResponse(
            message="OAuth app created successfully", **public_app(record).model_dump()
        )

    def get(self, workspace_id: str, oauth_app_id: str) -> OAuthAppResponse:
        return OAuthAppResponse(
            **public_app(self._store.get(workspace_id, oauth_app_id)).model_dump()
        )

    def list(self, workspace_id: str) -> OAuthAppList:
        return OAuthAppList(oauth_apps=[public_app(app) for app in self._store.list(workspace_id)])

    def delete(self, workspace_id: str, oauth_app_id: str) -> DeleteOAuthAppResponse:
        self._store.delete(workspace_id, oauth_app_id)
        return DeleteOAuthAppResponse(
            message="OAuth app deleted successfully", oauth_app_id=oauth_app_id
        )

    def client(self, workspace_id: str, oauth_app_id: str) -> OAuthClient:
        """The app with its secret opened, to ask its provider for tokens."""
        record = self._store.get(workspace_id, oauth_app_id)
        opened = self._vault.open_secrets(
            record.client_secret_ciphertext, client_secret_context(workspace_id, oauth_app_id)
        )
        return OAuthClient(
            oauth_app_id=oauth_app_id,
            provider=Provider(record.provider),
            client_id=record.client_id,
            client_secret=str(opened["client_secret"]),
            authorize_url=record.authorize_url,
            token_url=record.token_url,
            servers=app_servers(record),
            redirect_uris=tuple(record.redirect_uris or ()),
        )

    def servers(self, workspace_id: str, oauth_app_id: str) -> MailServerOverrides:
        """Where the app's inboxes connect; nothing is decrypted."""
        return app_servers(self._store.get(workspace_id, oauth_app_id))
