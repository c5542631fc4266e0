"""GET /webhooks: the workspace's webhooks, by cursor; secrets never shown."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Query

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.composition import webhooks
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.webhooks.models import WebhookList
from sender_accounts.webhooks.service import WebhookService

app = create_resolver()


@app.get(
    f"{API_PREFIX}/webhooks",
    summary="List webhooks",
    description="Oldest first, by cursor; secrets never shown.",
    tags=["webhooks"],
    responses=documented(200, 400),
)
def list_webhooks(
    service: Annotated[WebhookService, Depends(webhooks.get)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> WebhookList:
    principal = caller(app, READ_SCOPE)
    return service.list(principal.workspace_id, limit, cursor)


lambda_handler = api_handler(app, webhooks)
