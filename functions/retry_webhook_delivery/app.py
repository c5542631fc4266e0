"""POST /webhooks/{webhook_id}/deliveries/{delivery_id}/retry: one more attempt, now."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.composition import webhooks
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.webhooks.models import Delivery
from sender_accounts.webhooks.service import WebhookService

app = create_resolver()


@app.post(
    f"{API_PREFIX}/webhooks/<webhook_id>/deliveries/<delivery_id>/retry",
    summary="Retry a delivery",
    description="Once more, now, with the same webhook-id; answers the delivery with its attempts.",
    tags=["webhooks"],
    responses=documented(200, 404, 409),
)
def retry_webhook_delivery(
    service: Annotated[WebhookService, Depends(webhooks.get)],
    webhook_id: str,
    delivery_id: str,
) -> Delivery:
    principal = caller(app, WRITE_SCOPE)
    return service.retry(principal.workspace_id, webhook_id, delivery_id)


lambda_handler = api_handler(app, webhooks)
