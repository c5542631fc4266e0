"""PATCH /sender-accounts/{inbox_id}: settings, pause/resume, credentials (validated first)."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.api import API_PREFIX, caller, create_resolver
from sender_accounts.api_keys import WRITE_SCOPE
from sender_accounts.edge import serve
from sender_accounts.models import SenderAccountDetail, UpdateSenderAccountRequest
from sender_accounts.observability import logger, metrics, tracer
from sender_accounts.wiring import lifecycle

app = create_resolver()


@app.patch(f"{API_PREFIX}/sender-accounts/<inbox_id>")
def update_sender_account(
    inbox_id: str, request: Annotated[UpdateSenderAccountRequest, Body()]
) -> SenderAccountDetail:
    principal = caller(app, WRITE_SCOPE)
    return lifecycle().update(principal.workspace_id, inbox_id, request)


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return serve(app, event, context)
