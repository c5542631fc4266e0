"""GET /sender-accounts/smtp/bulk/{job_id}/progress."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.bulk.intake import BulkIntakeService
from sender_accounts.bulk.models import BulkJobProgressResponse
from sender_accounts.composition import bulk_intake
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.get(
    f"{API_PREFIX}/sender-accounts/smtp/bulk/<job_id>/progress",
    summary="Bulk creation progress",
    description="Counts, percentage and per-row results.",
    tags=["bulk"],
    responses=documented(200, 404),
)
def get_bulk_smtp_job_progress(
    service: Annotated[BulkIntakeService, Depends(bulk_intake.get)], job_id: str
) -> BulkJobProgressResponse:
    principal = caller(app, READ_SCOPE)
    return BulkJobProgressResponse(job=service.progress(principal.workspace_id, job_id))


lambda_handler = api_handler(app, bulk_intake)
