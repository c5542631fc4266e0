"""POST /api/v1/email-accounts/{account_id}/warmup: the warm-up engine's settings."""

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
from sender_accounts.smartlead.fields import WarmupRequest

app = create_resolver()


@app.post(
    f"{SMARTLEAD_PREFIX}/email-accounts/<account_id>/warmup",
    summary="Set an email account's warm-up (SmartLead)",
    description=(
        "warmup_enabled (required), total_warmup_per_day (1-50), daily_rampup (1-20), "
        "reply_rate_percentage (0-100), is_rampup_enabled: the settings the warm-up engine runs "
        "on. warmup_key_id and auto_adjust_warmup are accepted and not used (the key is "
        "generated per inbox)."
    ),
    tags=["smartlead"],
    responses=documented(200, 404, 409, 413, 415),
)
def warmup_settings(
    service: Annotated[SmartLeadAccounts, Depends(smartlead_changes.get)],
    account_id: int,
    request: Annotated[WarmupRequest, Body()],
) -> Done:
    principal = caller(app, WRITE_SCOPE)
    return service.warmup(principal.workspace_id, account_id, request)


lambda_handler = smartlead_handler(app, smartlead_changes)
