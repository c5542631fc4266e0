"""POST /sender-accounts/bulk/warmup: warm-up on or off for listed inboxes, or all in one status."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.bulk.models import BulkJobAccepted
from sender_accounts.common.request_bodies import warned
from sender_accounts.composition import bulk_warmups
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.warmup.bulk import BulkWarmupService
from sender_accounts.warmup.models import BulkWarmupRequest

app = create_resolver()


@app.post(
    f"{API_PREFIX}/sender-accounts/bulk/warmup",
    summary="Turn warm-up on or off for listed inboxes, or every inbox in one status",
    description="Asynchronous, like the other bulk jobs; only `warmup.enabled` changes "
    "(enabling lifts a safety pause).",
    tags=["warmup"],
    responses=documented(202, 409, 413, 415),
)
def create_bulk_warmup_job(
    service: Annotated[BulkWarmupService, Depends(bulk_warmups.get)],
    request: Annotated[BulkWarmupRequest, Body()],
) -> Response[BulkJobAccepted]:
    principal = caller(app, WRITE_SCOPE)
    accepted = service.create_job(principal.workspace_id, request)
    return Response(
        status_code=202, content_type=content_types.APPLICATION_JSON, body=warned(accepted, request)
    )


lambda_handler = api_handler(app, bulk_warmups)
