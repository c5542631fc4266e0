"""POST /sender-accounts/smtp (and ColdSend's older POST /sender-accounts)."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.accounts.models import CreateAccountResponse, CreateSmtpAccountRequest
from sender_accounts.accounts.service import SenderAccountService
from sender_accounts.common.request_bodies import warned
from sender_accounts.composition import accounts
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.post(
    f"{API_PREFIX}/sender-accounts/smtp",
    summary="Connect an SMTP/IMAP mailbox",
    description=(
        "Logs in to SMTP and IMAP side by side before anything is stored; the passwords are sealed "
        "with KMS. 400 names the failed stage and the server's reply."
    ),
    tags=["accounts"],
    responses=documented(201, 400, 409, 413, 415),
)
@app.post(
    f"{API_PREFIX}/sender-accounts",
    summary="Connect an SMTP/IMAP mailbox (alias)",
    description="As POST /sender-accounts/smtp.",
    tags=["accounts"],
    responses=documented(201, 400, 409, 413, 415),
)
def create_smtp_account(
    service: Annotated[SenderAccountService, Depends(accounts.get)],
    request: Annotated[CreateSmtpAccountRequest, Body()],
) -> Response[CreateAccountResponse]:
    principal = caller(app, WRITE_SCOPE)
    created = service.create_smtp_account(principal.workspace_id, request)
    return Response(
        status_code=201,
        content_type=content_types.APPLICATION_JSON,
        body=warned(created, request),
    )


lambda_handler = api_handler(app, accounts)
