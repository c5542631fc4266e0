"""GET /sender-accounts/bulk/delete/{job_id}/progress."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.api import API_PREFIX, caller, create_resolver
from sender_accounts.api_keys import READ_SCOPE
from sender_accounts.edge import serve
from sender_accounts.models import BulkDeleteProgressResponse
from sender_accounts.observability import logger, metrics, tracer
from sender_accounts.wiring import bulk_delete

app = create_resolver()


@app.get(f"{API_PREFIX}/sender-accounts/bulk/delete/<job_id>/progress")
def get_bulk_delete_job_progress(job_id: str) -> BulkDeleteProgressResponse:
    principal = caller(app, READ_SCOPE)
    return BulkDeleteProgressResponse(job=bulk_delete().progress(principal.workspace_id, job_id))


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return serve(app, event, context)
