"""PUT /api/v1/email-accounts/suspend/{account_id} and DELETE .../unsuspend/{account_id}:
pause and resume, in SmartLead's words."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.composition import smartlead_changes
from sender_accounts.http.documentation import documented
from sender_accounts.http.resolver import caller, create_resolver
from sender_accounts.http.smartlead_edge import SMARTLEAD_PREFIX, smartlead_handler
from sender_accounts.smartlead.accounts import SmartLeadAccounts
from sender_accounts.smartlead.answers import SuspensionAnswer

app = create_resolver()


@app.put(
    f"{SMARTLEAD_PREFIX}/email-accounts/suspend/<account_id>",
    summary="Suspend an email account (SmartLead)",
    description="Pauses it (status PAUSED); an unknown id is a 400, as SmartLead answers.",
    tags=["smartlead"],
    responses=documented(200, 400, 404, 409),
)
def suspend(
    service: Annotated[SmartLeadAccounts, Depends(smartlead_changes.get)], account_id: int
) -> SuspensionAnswer:
    principal = caller(app, WRITE_SCOPE)
    return service.suspend(principal.workspace_id, account_id, suspended=True)


@app.delete(
    f"{SMARTLEAD_PREFIX}/email-accounts/unsuspend/<account_id>",
    summary="Unsuspend an email account (SmartLead)",
    description="Resumes it (status ACTIVE); an unknown id is a 400, as SmartLead answers.",
    tags=["smartlead"],
    responses=documented(200, 400, 404, 409),
)
def unsuspend(
    service: Annotated[SmartLeadAccounts, Depends(smartlead_changes.get)], account_id: int
) -> SuspensionAnswer:
    principal = caller(app, WRITE_SCOPE)
    return service.suspend(principal.workspace_id, account_id, suspended=False)


lambda_handler = smartlead_handler(app, smartlead_changes)
