"""POST /api/v1/email-accounts/save-oauth: an OAuth2 account from SmartLead's token object."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.composition import smartlead_oauth_saves
from sender_accounts.http.documentation import documented
from sender_accounts.http.resolver import caller, create_resolver
from sender_accounts.http.smartlead_edge import SMARTLEAD_PREFIX, smartlead_handler
from sender_accounts.smartlead.answers import SaveAnswer
from sender_accounts.smartlead.fields import SaveOAuthRequest
from sender_accounts.smartlead.oauth_save import SmartLeadOAuthSave

app = create_resolver()


@app.post(
    f"{SMARTLEAD_PREFIX}/email-accounts/save-oauth",
    summary="Save an OAuth2 email account (SmartLead)",
    description=(
        "`type` GMAIL or OUTLOOK (also gmail, microsoft): the token is refreshed through the "
        "workspace's OAuth app for that provider (422 naming `type` when there is none) and the "
        "mailbox validated at that app's mail hosts."
    ),
    tags=["smartlead"],
    responses=documented(200, 409, 413, 415),
)
def save_oauth_account(
    service: Annotated[SmartLeadOAuthSave, Depends(smartlead_oauth_saves.get)],
    request: Annotated[SaveOAuthRequest, Body()],
) -> SaveAnswer:
    principal = caller(app, WRITE_SCOPE)
    return service.save(principal.workspace_id, request)


lambda_handler = smartlead_handler(app, smartlead_oauth_saves)
