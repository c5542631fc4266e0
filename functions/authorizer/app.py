"""REQUEST authorizer: an API key to workspace and scopes, for every route of the API. The key
comes in the X-API-Key header, or (SmartLead's surface) in the `api_key` query parameter."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Any

from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerRequestEvent,
    APIGatewayAuthorizerResponse,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.access.api_keys import authenticate
from sender_accounts.adapters.observability import instrumented, logger
from sender_accounts.composition import access_store, require

require(access_store)


@event_source(data_class=APIGatewayAuthorizerRequestEvent)
def authorize(event: APIGatewayAuthorizerRequestEvent, context: LambdaContext) -> dict[str, Any]:
    headers = {k.lower(): v for k, v in (event.headers or {}).items()}
    query = event.query_string_parameters or {}
    principal = authenticate(access_store.get(), headers.get("x-api-key") or query.get("api_key"))
    if principal is None:
        logger.info("request refused: unknown or missing API key")
        raise Exception("Unauthorized")  # API Gateway's contract for a 401 from an authorizer
    arn = event.parsed_arn
    policy = APIGatewayAuthorizerResponse(
        principal_id=principal.workspace_id,
        region=arn.region,
        aws_account_id=arn.aws_account_id,
        api_id=arn.api_id,
        stage=arn.stage,
        # ColdSend's routes cache the result per key for every route, so the policy covers the
        # whole API; scopes are enforced by each function from the context below.
        context={
            "workspace_id": principal.workspace_id,
            "scopes": " ".join(sorted(principal.scopes)),
        },
    )
    policy.allow_all_routes()
    return policy.asdict()


# No metrics of its own; API Gateway caches its answers per key.
lambda_handler = instrumented(authorize, with_metrics=False)
