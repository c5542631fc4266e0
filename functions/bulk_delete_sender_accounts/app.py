"""POST /sender-accounts/bulk/delete: up to 100 ids, confirmed; deleted asynchronously."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.bulk.delete import BulkDeleteService
from sender_accounts.bulk.models import BulkDeleteRequest, BulkJobAccepted
from sender_accounts.common.request_bodies import warned
from sender_accounts.composition import bulk_delete
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.post(
    f"{API_PREFIX}/sender-accounts/bulk/delete",
    summary="Delete 1-100 sender accounts",
    description="Needs confirm_deletion: true; asynchronous.",
    tags=["bulk"],
    responses=documented(202, 400, 409, 413, 415),
)
def create_bulk_delete_job(
    service: Annotated[BulkDeleteService, Depends(bulk_delete.get)],
    request: Annotated[BulkDeleteRequest, Body()],
) -> Response[BulkJobAccepted]:
    principal = caller(app, WRITE_SCOPE)
    accepted = service.create_job(principal.workspace_id, request)
    return Response(
        status_code=202, content_type=content_types.APPLICATION_JSON, body=warned(accepted, request)
    )


lambda_handler = api_handler(app, bulk_delete)
