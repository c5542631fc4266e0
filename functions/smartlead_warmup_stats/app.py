"""GET /api/v1/email-accounts/{account_id}/warmup-stats: the last 7 warm-up days."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.composition import smartlead_ids, smartlead_stats
from sender_accounts.http.documentation import documented
from sender_accounts.http.resolver import caller, create_resolver
from sender_accounts.http.smartlead_edge import SMARTLEAD_PREFIX, smartlead_handler
from sender_accounts.smartlead.accounts import SmartLeadAccounts
from sender_accounts.smartlead.answers import WarmupStatsAnswer
from sender_accounts.smartlead.warmup_stats import SmartLeadWarmupStats

app = create_resolver()


@app.get(
    f"{SMARTLEAD_PREFIX}/email-accounts/<account_id>/warmup-stats",
    summary="Warm-up statistics of an email account (SmartLead)",
    description="The warm-up engine's counts of the last 7 warm-up days, per day and in total.",
    tags=["smartlead"],
    responses=documented(200, 404),
)
def warmup_stats(
    ids: Annotated[SmartLeadAccounts, Depends(smartlead_ids.get)],
    stats: Annotated[SmartLeadWarmupStats, Depends(smartlead_stats.get)],
    account_id: int,
) -> WarmupStatsAnswer:
    principal = caller(app, READ_SCOPE)
    inbox_id = ids.inbox_id(principal.workspace_id, account_id)
    return stats.stats(principal.workspace_id, inbox_id, account_id)


lambda_handler = smartlead_handler(app, smartlead_ids, smartlead_stats)
