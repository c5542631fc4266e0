"""GET /sender-accounts/{inbox_id}/warmup."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.composition import warmup_reports
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.warmup.models import WarmupReport
from sender_accounts.warmup.statistics import WarmupReports

app = create_resolver()


@app.get(
    f"{API_PREFIX}/sender-accounts/<inbox_id>/warmup",
    summary="Get a sender account's warm-up",
    description="Its warm-up settings and status, today's target and sends, the last 30 warm-up "
    "days (sent, where those landed, received, saved from spam, replied, bounced), 7-day totals "
    "and its warm-up reputation.",
    tags=["warmup"],
    responses=documented(200, 404),
)
def get_warmup_report(
    reports: Annotated[WarmupReports, Depends(warmup_reports.get)], inbox_id: str
) -> WarmupReport:
    principal = caller(app, READ_SCOPE)
    return reports.report(principal.workspace_id, inbox_id)


lambda_handler = api_handler(app, warmup_reports)
