"""GET /webhooks/{webhook_id}/deliveries: the recent deliveries and their attempts."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.composition import webhooks
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.webhooks.models import DeliveryList
from sender_accounts.webhooks.service import WebhookService

app = create_resolver()


@app.get(
    f"{API_PREFIX}/webhooks/<webhook_id>/deliveries",
    summary="Recent deliveries",
    description="Newest first: event, status, every attempt (status code, latency, error class).",
    tags=["webhooks"],
    responses=documented(200, 404),
)
def list_webhook_deliveries(
    service: Annotated[WebhookService, Depends(webhooks.get)],
    webhook_id: str,
) -> DeliveryList:
    principal = caller(app, READ_SCOPE)
    return service.deliveries(principal.workspace_id, webhook_id)


lambda_handler = api_handler(app, webhooks)
