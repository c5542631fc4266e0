"""GET /domains: the workspace's domains, paginated like the inbox list."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.api import API_PREFIX, caller, create_resolver
from sender_accounts.api_keys import READ_SCOPE
from sender_accounts.edge import serve
from sender_accounts.models import DomainListResponse
from sender_accounts.observability import logger, metrics, tracer
from sender_accounts.wiring import domains

app = create_resolver()


@app.get(f"{API_PREFIX}/domains")
def list_domains(
    page: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> DomainListResponse:
    principal = caller(app, READ_SCOPE)
    return domains().list(principal.workspace_id, page, limit)


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return serve(app, event, context)
