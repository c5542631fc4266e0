"""POST /webhooks/{webhook_id}/test: a webhook.test event delivered now; the attempt answered."""

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
    f"{API_PREFIX}/webhooks/<webhook_id>/test",
    summary="Send a test event",
    description="Delivers webhook.test now and answers the attempt (409 WEBHOOK_DISABLED if off).",
    tags=["webhooks"],
    responses=documented(200, 404, 409),
)
def test_webhook(
    service: Annotated[WebhookService, Depends(webhooks.get)],
    webhook_id: str,
) -> Delivery:
    principal = caller(app, WRITE_SCOPE)
    return service.send_test(principal.workspace_id, webhook_id)


lambda_handler = api_handler(app, webhooks)
