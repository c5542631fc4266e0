"""SmartLead's OAuth2 save: an OAuth2 account from SmartLead's token object, through the
workspace's OAuth app for its provider."""

from __future__ import annotations

from sender_accounts.common.statuses import InboxType
from sender_accounts.errors import FieldRuleViolated
from sender_accounts.oauth.apps import OAuthAppService
from sender_accounts.oauth.connect import OAuthAccountService
from sender_accounts.oauth.providers import Provider
from sender_accounts.smartlead import translation
from sender_accounts.smartlead.accounts import saved_answer
from sender_accounts.smartlead.answers import SaveAnswer
from sender_accounts.smartlead.fields import SaveOAuthRequest

PROVIDERS = {InboxType.GOOGLE_WORKSPACE: Provider.GOOGLE, InboxType.OUTLOOK_365: Provider.MICROSOFT}


class SmartLeadOAuthSave:
    def __init__(self, apps: OAuthAppService, accounts: OAuthAccountService) -> None:
        self._apps = apps
        self._accounts = accounts

    def save(self, workspace_id: str, body: SaveOAuthRequest) -> SaveAnswer:
        provider = PROVIDERS[body.type]
        apps = [a for a in self._apps.list(workspace_id).oauth_apps if a.provider is provider]
        if not apps:
            raise FieldRuleViolated(
                "type",
                f"This workspace has no {provider.value} OAuth app to refresh the token with: "
                "create one with POST /api/public/v1/oauth/apps",
            )
        request = translation.oauth_creation(body, apps[0].oauth_app_id)
        inbox = self._accounts.create_stored_with_tokens(workspace_id, request)
        return saved_answer(inbox, "Email account added successfully!")
