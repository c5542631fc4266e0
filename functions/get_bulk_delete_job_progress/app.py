"""GET /sender-accounts/bulk/delete/{job_id}/progress."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.bulk.delete import BulkDeleteService
from sender_accounts.bulk.models import BulkDeleteProgressResponse
from sender_accounts.composition import bulk_delete
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.get(
    f"{API_PREFIX}/sender-accounts/bulk/delete/<job_id>/progress",
    summary="Bulk deletion progress",
    description="Deleted, skipped and failed rows.",
    tags=["bulk"],
    responses=documented(200, 404),
)
def get_bulk_delete_job_progress(
    service: Annotated[BulkDeleteService, Depends(bulk_delete.get)], job_id: str
) -> BulkDeleteProgressResponse:
    principal = caller(app, READ_SCOPE)
    return BulkDeleteProgressResponse(job=service.progress(principal.workspace_id, job_id))


lambda_handler = api_handler(app, bulk_delete)
