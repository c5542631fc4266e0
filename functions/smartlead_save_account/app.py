"""POST /api/v1/email-accounts/save: SmartLead's create-or-update (update when `id` is set)."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.composition import smartlead_saves
from sender_accounts.http.documentation import documented
from sender_accounts.http.resolver import caller, create_resolver
from sender_accounts.http.smartlead_edge import SMARTLEAD_PREFIX, smartlead_handler
from sender_accounts.smartlead.accounts import SmartLeadAccounts
from sender_accounts.smartlead.answers import SaveAnswer
from sender_accounts.smartlead.fields import SaveAccountRequest

app = create_resolver()


@app.post(
    f"{SMARTLEAD_PREFIX}/email-accounts/save",
    summary="Save an SMTP email account (SmartLead)",
    description=(
        "Creates the account, logging in to SMTP and IMAP first; as SmartLead does, an account "
        "whose logins fail is stored with is_smtp_success/is_imap_success false and the failure "
        "texts. With `id`, updates that account instead (only the fields sent)."
    ),
    tags=["smartlead"],
    responses=documented(200, 400, 404, 409, 413, 415),
)
def save_account(
    service: Annotated[SmartLeadAccounts, Depends(smartlead_saves.get)],
    request: Annotated[SaveAccountRequest, Body()],
) -> SaveAnswer:
    principal = caller(app, WRITE_SCOPE)
    return service.save(principal.workspace_id, request)


lambda_handler = smartlead_handler(app, smartlead_saves)
