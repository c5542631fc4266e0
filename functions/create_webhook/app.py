"""POST /webhooks: register an endpoint for the workspace's events; the signing secret is
answered once."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.common.request_bodies import warned
from sender_accounts.composition import webhooks
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.webhooks.models import CreateWebhookRequest, WebhookCreated
from sender_accounts.webhooks.service import WebhookService

app = create_resolver()


@app.post(
    f"{API_PREFIX}/webhooks",
    summary="Register a webhook",
    description=(
        'Events by name or ["*"]; the URL must be https on a public address (checked now and at '
        "every delivery). The answer carries the signing secret (whsec_…), shown only here."
    ),
    tags=["webhooks"],
    responses=documented(201, 409, 413, 415),
)
def create_webhook(
    service: Annotated[WebhookService, Depends(webhooks.get)],
    request: Annotated[CreateWebhookRequest, Body()],
) -> Response[WebhookCreated]:
    principal = caller(app, WRITE_SCOPE)
    created = service.create(principal.workspace_id, request)
    return Response(
        status_code=201, content_type=content_types.APPLICATION_JSON, body=warned(created, request)
    )


lambda_handler = api_handler(app, webhooks)
