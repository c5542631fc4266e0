"""GET /api/v1/email-accounts/{account_id}: one account, as SmartLead shows it."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Query

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.composition import smartlead_reads
from sender_accounts.http.documentation import documented
from sender_accounts.http.resolver import caller, create_resolver
from sender_accounts.http.smartlead_edge import SMARTLEAD_PREFIX, smartlead_handler
from sender_accounts.smartlead.account_object import SmartLeadAccount
from sender_accounts.smartlead.accounts import SmartLeadAccounts

app = create_resolver()


@app.get(
    f"{SMARTLEAD_PREFIX}/email-accounts/<account_id>",
    summary="Get an email account (SmartLead)",
    description="With warm-up's 7-day counts; fetch_campaigns and fetch_tags answer empty lists.",
    tags=["smartlead"],
    responses=documented(200, 404),
)
def get_account(
    service: Annotated[SmartLeadAccounts, Depends(smartlead_reads.get)],
    account_id: int,
    fetch_campaigns: Annotated[bool, Query()] = False,
    fetch_tags: Annotated[bool, Query()] = False,
) -> SmartLeadAccount:
    principal = caller(app, READ_SCOPE)
    return service.get(principal.workspace_id, account_id, fetch_campaigns, fetch_tags)


lambda_handler = smartlead_handler(app, smartlead_reads)
