"""POST /sender-accounts/smtp/bulk: up to 100 inboxes, validated asynchronously; answers a job."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.bulk.intake import BulkIntakeService
from sender_accounts.bulk.models import BulkCreateSmtpAccountsRequest, BulkJobAccepted
from sender_accounts.common.request_bodies import warned
from sender_accounts.composition import bulk_intake
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.post(
    f"{API_PREFIX}/sender-accounts/smtp/bulk",
    summary="Connect 1-100 mailboxes",
    description="Answered at once with a job; validated through SQS.",
    tags=["bulk"],
    responses=documented(202, 409, 413, 415),
)
def create_bulk_smtp_job(
    service: Annotated[BulkIntakeService, Depends(bulk_intake.get)],
    request: Annotated[BulkCreateSmtpAccountsRequest, Body()],
) -> Response[BulkJobAccepted]:
    principal = caller(app, WRITE_SCOPE)
    accepted = service.create_job(principal.workspace_id, request)
    return Response(
        status_code=202, content_type=content_types.APPLICATION_JSON, body=warned(accepted, request)
    )


lambda_handler = api_handler(app, bulk_intake)
