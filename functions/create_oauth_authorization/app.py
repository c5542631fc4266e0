"""POST /oauth/authorizations: start the hosted consent; the answer's authorization_url is
where the user's browser goes."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.common.request_bodies import warned
from sender_accounts.composition import consents
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver, public_url
from sender_accounts.oauth.consent import CALLBACK_PATH, ConsentFlow
from sender_accounts.oauth.models import AuthorizationResponse, CreateAuthorizationRequest

app = create_resolver()


@app.post(
    f"{API_PREFIX}/oauth/authorizations",
    summary="Start the hosted consent",
    description="An authorization URL with PKCE (S256) and a single-use state valid 10 minutes.",
    tags=["oauth"],
    responses=documented(201, 409, 413, 415),
)
def create_oauth_authorization(
    service: Annotated[ConsentFlow, Depends(consents.get)],
    request: Annotated[CreateAuthorizationRequest, Body()],
) -> Response[AuthorizationResponse]:
    principal = caller(app, WRITE_SCOPE)
    callback = public_url(app, CALLBACK_PATH)
    started = service.start(principal.workspace_id, request, callback)
    return Response(
        status_code=201, content_type=content_types.APPLICATION_JSON, body=warned(started, request)
    )


lambda_handler = api_handler(app, consents)
