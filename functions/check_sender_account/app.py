"""POST /sender-accounts/{inbox_id}/check: the mailbox checked now, its health updated."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.composition import health_checks
from sender_accounts.health.health_check import HealthCheckService
from sender_accounts.health.models import CheckResponse
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.post(
    f"{API_PREFIX}/sender-accounts/<inbox_id>/check",
    summary="Check a mailbox now",
    description=(
        "Logins with the stored credentials, DNS, score and status rules; within "
        "CHECK_MIN_INTERVAL_SECONDS of the last check, that result."
    ),
    tags=["health"],
    responses=documented(200, 404, 409),
)
def check_sender_account(
    service: Annotated[HealthCheckService, Depends(health_checks.get)], inbox_id: str
) -> CheckResponse:
    principal = caller(app, WRITE_SCOPE)
    return service.check(principal.workspace_id, inbox_id)


lambda_handler = api_handler(app, health_checks)
