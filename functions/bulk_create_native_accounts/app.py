"""POST /sender-accounts/coldsend-native/bulk: up to 100 managed inboxes, per-item results."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.api import API_PREFIX, caller, create_resolver
from sender_accounts.api_keys import WRITE_SCOPE
from sender_accounts.edge import serve
from sender_accounts.models import BulkCreateNativeAccountsRequest, BulkCreateNativeAccountsResponse
from sender_accounts.observability import logger, metrics, tracer
from sender_accounts.wiring import native_accounts

app = create_resolver()


@app.post(f"{API_PREFIX}/sender-accounts/coldsend-native/bulk")
def create_native_accounts(
    request: Annotated[BulkCreateNativeAccountsRequest, Body()],
) -> BulkCreateNativeAccountsResponse:
    principal = caller(app, WRITE_SCOPE)
    return native_accounts().create_many(principal.workspace_id, request)


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return serve(app, event, context)
