"""DELETE /domains/{domain_id}: refused with 409 while inboxes use it."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.api import API_PREFIX, caller, create_resolver
from sender_accounts.api_keys import WRITE_SCOPE
from sender_accounts.edge import serve
from sender_accounts.models import DeleteDomainResponse
from sender_accounts.observability import logger, metrics, tracer
from sender_accounts.wiring import domains

app = create_resolver()


@app.delete(f"{API_PREFIX}/domains/<domain_id>")
def delete_domain(domain_id: str) -> DeleteDomainResponse:
    principal = caller(app, WRITE_SCOPE)
    name = domains().delete(principal.workspace_id, domain_id)
    return DeleteDomainResponse(message=f"Domain {name} deleted", domain_id=domain_id)


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return serve(app, event, context)
