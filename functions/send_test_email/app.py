"""POST /sender-accounts/{inbox_id}/test-email: a real message through the inbox's own server."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.common.request_bodies import warned
from sender_accounts.composition import test_emails
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver
from sender_accounts.sending.models import TestEmailRequest, TestEmailResponse
from sender_accounts.sending.test_email import TestEmailService

app = create_resolver()


@app.post(
    f"{API_PREFIX}/sender-accounts/<inbox_id>/test-email",
    summary="Send a test email",
    description=(
        "A real message through the inbox's own server, counted against today's daily_limit; only "
        "ACTIVE inboxes send."
    ),
    tags=["sending"],
    responses=documented(200, 400, 404, 409, 413, 415),
)
def send_test_email(
    service: Annotated[TestEmailService, Depends(test_emails.get)],
    inbox_id: str,
    request: Annotated[TestEmailRequest, Body()],
) -> TestEmailResponse:
    principal = caller(app, WRITE_SCOPE)
    sent = service.send_test_email(principal.workspace_id, inbox_id, request)
    return warned(sent, request)


lambda_handler = api_handler(app, test_emails)
