"""GET /sender-accounts/bulk/warmup/{job_id}/progress."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.composition import bulk_warmups
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.warmup.bulk import BulkWarmupService
from sender_accounts.warmup.models import BulkWarmupProgressResponse

app = create_resolver()


@app.get(
    f"{API_PREFIX}/sender-accounts/bulk/warmup/<job_id>/progress",
    summary="Bulk warm-up progress",
    description="Counts per outcome and per-row results.",
    tags=["warmup"],
    responses=documented(200, 404),
)
def get_bulk_warmup_job_progress(
    service: Annotated[BulkWarmupService, Depends(bulk_warmups.get)], job_id: str
) -> BulkWarmupProgressResponse:
    principal = caller(app, READ_SCOPE)
    return BulkWarmupProgressResponse(job=service.progress(principal.workspace_id, job_id))


lambda_handler = api_handler(app, bulk_warmups)
