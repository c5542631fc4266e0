"""POST /oauth-apps: register a workspace's OAuth client at Google or Microsoft."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.common.request_bodies import warned
from sender_accounts.composition import oauth_apps
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.oauth.apps import OAuthAppService
from sender_accounts.oauth.models import CreateOAuthAppRequest, OAuthAppResponse

app = create_resolver()


@app.post(
    f"{API_PREFIX}/oauth-apps",
    summary="Register an OAuth app (Google or Microsoft)",
    description=(
        "The client secret is sealed with KMS and never shown again; custom endpoint URLs obey the "
        "outbound rule."
    ),
    tags=["oauth"],
    responses=documented(201, 409, 413, 415),
)
def create_oauth_app(
    service: Annotated[OAuthAppService, Depends(oauth_apps.get)],
    request: Annotated[CreateOAuthAppRequest, Body()],
) -> Response[OAuthAppResponse]:
    principal = caller(app, WRITE_SCOPE)
    created = service.create(principal.workspace_id, request)
    return Response(
        status_code=201, content_type=content_types.APPLICATION_JSON, body=warned(created, request)
    )


lambda_handler = api_handler(app, oauth_apps)
