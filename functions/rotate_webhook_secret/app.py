"""POST /webhooks/{webhook_id}/rotate-secret: a new secret, shown once; both sign for 24 hours."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.composition import webhooks
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.webhooks.models import SecretRotated
from sender_accounts.webhooks.service import WebhookService

app = create_resolver()


@app.post(
    f"{API_PREFIX}/webhooks/<webhook_id>/rotate-secret",
    summary="Rotate a webhook's secret",
    description="The new secret is answered once; the old one signs beside it for 24 hours.",
    tags=["webhooks"],
    responses=documented(200, 404),
)
def rotate_webhook_secret(
    service: Annotated[WebhookService, Depends(webhooks.get)],
    webhook_id: str,
) -> SecretRotated:
    principal = caller(app, WRITE_SCOPE)
    return service.rotate_secret(principal.workspace_id, webhook_id)


lambda_handler = api_handler(app, webhooks)
