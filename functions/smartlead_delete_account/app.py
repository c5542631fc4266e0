"""DELETE /api/v1/email-accounts/{account_id}."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.composition import smartlead_deletes
from sender_accounts.http.documentation import documented
from sender_accounts.http.resolver import caller, create_resolver
from sender_accounts.http.smartlead_edge import SMARTLEAD_PREFIX, smartlead_handler
from sender_accounts.smartlead.accounts import SmartLeadAccounts
from sender_accounts.smartlead.answers import Deleted

app = create_resolver()


@app.delete(
    f"{SMARTLEAD_PREFIX}/email-accounts/<account_id>",
    summary="Delete an email account (SmartLead)",
    description="The inbox is deleted as DELETE /api/public/v1/sender-accounts/{inbox_id} does.",
    tags=["smartlead"],
    responses=documented(200, 404),
)
def delete_account(
    service: Annotated[SmartLeadAccounts, Depends(smartlead_deletes.get)], account_id: int
) -> Deleted:
    principal = caller(app, WRITE_SCOPE)
    return service.delete(principal.workspace_id, account_id)


lambda_handler = smartlead_handler(app, smartlead_deletes)
