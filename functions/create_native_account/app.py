"""POST /sender-accounts/coldsend-native: a managed inbox on an ACTIVE workspace domain."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.accounts.models import CreateAccountResponse
from sender_accounts.common.request_bodies import warned
from sender_accounts.composition import native_accounts
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.native.models import CreateNativeAccountRequest
from sender_accounts.native.service import NativeAccountService

app = create_resolver()


@app.post(
    f"{API_PREFIX}/sender-accounts/coldsend-native",
    summary="Create a managed inbox",
    description="An address on an ACTIVE workspace domain (SES).",
    tags=["native"],
    responses=documented(201, 400, 404, 409, 413, 415),
)
def create_native_account(
    service: Annotated[NativeAccountService, Depends(native_accounts.get)],
    request: Annotated[CreateNativeAccountRequest, Body()],
) -> Response[CreateAccountResponse]:
    principal = caller(app, WRITE_SCOPE)
    created = service.create(principal.workspace_id, request)
    return Response(
        status_code=201, content_type=content_types.APPLICATION_JSON, body=warned(created, request)
    )


lambda_handler = api_handler(app, native_accounts)
