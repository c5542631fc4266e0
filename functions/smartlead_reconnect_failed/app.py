"""POST /api/v1/email-accounts/reconnect-failed-email-accounts: checks every failed account
of the workspace again (ColdSend's bulk health check of its DISABLED inboxes)."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.composition import smartlead_reconnects
from sender_accounts.http.documentation import documented
from sender_accounts.http.resolver import caller, create_resolver
from sender_accounts.http.smartlead_edge import SMARTLEAD_PREFIX, smartlead_handler
from sender_accounts.smartlead.answers import ReconnectAnswer
from sender_accounts.smartlead.reconnect import SmartLeadReconnect

app = create_resolver()


@app.post(
    f"{SMARTLEAD_PREFIX}/email-accounts/reconnect-failed-email-accounts",
    summary="Reconnect failed email accounts (SmartLead)",
    description=(
        "Queues a health check of every DISABLED account; one whose logins succeed becomes "
        "ACTIVE. job_id is the bulk check's: "
        "GET /api/public/v1/sender-accounts/bulk/check/{job_id}/progress."
    ),
    tags=["smartlead"],
    responses=documented(200, 409, 413, 415),
)
def reconnect_failed(
    service: Annotated[SmartLeadReconnect, Depends(smartlead_reconnects.get)],
) -> ReconnectAnswer:
    principal = caller(app, WRITE_SCOPE)
    return service.reconnect_failed(principal.workspace_id)


lambda_handler = smartlead_handler(app, smartlead_reconnects)
