"""DELETE /oauth-apps/{oauth_app_id}: refused with 409 while inboxes use it."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.composition import oauth_apps
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.oauth.apps import OAuthAppService
from sender_accounts.oauth.models import DeleteOAuthAppResponse

app = create_resolver()


@app.delete(
    f"{API_PREFIX}/oauth-apps/<oauth_app_id>",
    summary="Delete an OAuth app",
    description="Refused (409 IN_USE) while inboxes use it.",
    tags=["oauth"],
    responses=documented(200, 404, 409),
)
def delete_oauth_app(
    service: Annotated[OAuthAppService, Depends(oauth_apps.get)], oauth_app_id: str
) -> DeleteOAuthAppResponse:
    principal = caller(app, WRITE_SCOPE)
    return service.delete(principal.workspace_id, oauth_app_id)


lambda_handler = api_handler(app, oauth_apps)
