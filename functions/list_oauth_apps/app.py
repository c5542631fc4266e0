"""GET /oauth-apps: the workspace's OAuth apps, oldest first, secrets never shown."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.composition import oauth_apps
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.oauth.apps import OAuthAppService
from sender_accounts.oauth.models import OAuthAppList

app = create_resolver()


@app.get(
    f"{API_PREFIX}/oauth-apps",
    summary="List OAuth apps",
    description="Oldest first; no secrets.",
    tags=["oauth"],
    responses=documented(200),
)
def list_oauth_apps(
    service: Annotated[OAuthAppService, Depends(oauth_apps.get)],
) -> OAuthAppList:
    principal = caller(app, READ_SCOPE)
    return service.list(principal.workspace_id)


lambda_handler = api_handler(app, oauth_apps)
