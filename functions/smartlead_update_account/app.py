"""POST (or PATCH) /api/v1/email-accounts/{account_id}: SmartLead's settings of one account."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.composition import smartlead_changes
from sender_accounts.http.documentation import documented
from sender_accounts.http.resolver import caller, create_resolver
from sender_accounts.http.smartlead_edge import SMARTLEAD_PREFIX, smartlead_handler
from sender_accounts.smartlead.accounts import SmartLeadAccounts
from sender_accounts.smartlead.answers import Done
from sender_accounts.smartlead.fields import UpdateAccountRequest

app = create_resolver()
DESCRIPTION = (
    "from_name, max_email_per_day, custom_tracking_url, bcc, signature, client_id, "
    "time_to_wait_in_mins, is_suspended, different_reply_to_address, and the warm-up fields; "
    "only those sent change."
)


@app.post(
    f"{SMARTLEAD_PREFIX}/email-accounts/<account_id>",
    summary="Update an email account (SmartLead)",
    description=DESCRIPTION,
    tags=["smartlead"],
    responses=documented(200, 400, 404, 409, 413, 415),
)
@app.patch(
    f"{SMARTLEAD_PREFIX}/email-accounts/<account_id>",
    summary="Update an email account (SmartLead, PATCH)",
    description=DESCRIPTION,
    tags=["smartlead"],
    responses=documented(200, 400, 404, 409, 413, 415),
)
def update_account(
    service: Annotated[SmartLeadAccounts, Depends(smartlead_changes.get)],
    account_id: int,
    request: Annotated[UpdateAccountRequest, Body()],
) -> Done:
    principal = caller(app, WRITE_SCOPE)
    return service.update(principal.workspace_id, account_id, request)


lambda_handler = smartlead_handler(app, smartlead_changes)
