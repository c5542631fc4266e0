"""GET /sender-accounts/bulk/check/{job_id}/progress."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.composition import bulk_checks
from sender_accounts.health.bulk_check import BulkCheckService
from sender_accounts.health.models import BulkCheckProgressResponse
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.get(
    f"{API_PREFIX}/sender-accounts/bulk/check/<job_id>/progress",
    summary="Bulk check progress",
    description="Counts per outcome and per-row results.",
    tags=["health"],
    responses=documented(200, 404),
)
def get_bulk_check_job_progress(
    service: Annotated[BulkCheckService, Depends(bulk_checks.get)], job_id: str
) -> BulkCheckProgressResponse:
    principal = caller(app, READ_SCOPE)
    return BulkCheckProgressResponse(job=service.progress(principal.workspace_id, job_id))


lambda_handler = api_handler(app, bulk_checks)
