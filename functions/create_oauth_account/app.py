"""POST /sender-accounts/oauth: connect a Google or Microsoft mailbox with its OAuth2 tokens
(SmartLead's token object)."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.common.request_bodies import warned
from sender_accounts.composition import oauth_accounts
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.oauth.connect import OAuthAccountResponse, OAuthAccountService
from sender_accounts.oauth.models import CreateOAuthAccountRequest

app = create_resolver()


@app.post(
    f"{API_PREFIX}/sender-accounts/oauth",
    summary="Connect a Google or Microsoft mailbox with OAuth2 tokens",
    description=(
        "SmartLead's token object (access_token, refresh_token, expiry_date in ms): refreshed once,"
        " then SMTP AUTH XOAUTH2 and IMAP AUTHENTICATE XOAUTH2 side by side; the tokens are sealed "
        "with KMS."
    ),
    tags=["oauth"],
    responses=documented(201, 400, 409, 413, 415),
)
def create_oauth_account(
    service: Annotated[OAuthAccountService, Depends(oauth_accounts.get)],
    request: Annotated[CreateOAuthAccountRequest, Body()],
) -> Response[OAuthAccountResponse]:
    principal = caller(app, WRITE_SCOPE)
    created = service.create_with_tokens(principal.workspace_id, request)
    return Response(
        status_code=201, content_type=content_types.APPLICATION_JSON, body=warned(created, request)
    )


lambda_handler = api_handler(app, oauth_accounts)
