"""PATCH /webhooks/{webhook_id}: change the URL (checked again), events, description or enabled."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.composition import webhooks
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.webhooks.models import UpdateWebhookRequest, Webhook
from sender_accounts.webhooks.service import WebhookService

app = create_resolver()


@app.patch(
    f"{API_PREFIX}/webhooks/<webhook_id>",
    summary="Change a webhook",
    description="url, events, enabled, description; enabling clears its failure record.",
    tags=["webhooks"],
    responses=documented(200, 404, 409, 413, 415),
)
def update_webhook(
    service: Annotated[WebhookService, Depends(webhooks.get)],
    webhook_id: str,
    request: Annotated[UpdateWebhookRequest, Body()],
) -> Webhook:
    principal = caller(app, WRITE_SCOPE)
    return service.update(principal.workspace_id, webhook_id, request)


lambda_handler = api_handler(app, webhooks)
