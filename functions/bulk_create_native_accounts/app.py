"""POST /sender-accounts/coldsend-native/bulk: up to 100 managed inboxes, per-item results."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.common.request_bodies import warned
from sender_accounts.composition import native_accounts
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.native.models import (
    BulkCreateNativeAccountsRequest,
    BulkCreateNativeAccountsResponse,
)
from sender_accounts.native.service import NativeAccountService

app = create_resolver()


@app.post(
    f"{API_PREFIX}/sender-accounts/coldsend-native/bulk",
    summary="Create 1-100 managed inboxes",
    description="Synchronous, with per-item results.",
    tags=["native"],
    responses=documented(200, 400, 404, 409, 413, 415),
)
def create_native_accounts(
    service: Annotated[NativeAccountService, Depends(native_accounts.get)],
    request: Annotated[BulkCreateNativeAccountsRequest, Body()],
) -> BulkCreateNativeAccountsResponse:
    principal = caller(app, WRITE_SCOPE)
    return warned(service.create_many(principal.workspace_id, request), request)


lambda_handler = api_handler(app, native_accounts)
