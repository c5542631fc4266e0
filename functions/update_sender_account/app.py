"""PATCH /sender-accounts/{inbox_id}: settings, pause/resume, credentials (validated first)."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.accounts.models import SenderAccountDetail, UpdateSenderAccountRequest
from sender_accounts.accounts.update import UpdateService
from sender_accounts.composition import updates
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.patch(
    f"{API_PREFIX}/sender-accounts/<inbox_id>",
    summary="Update a sender account",
    description=(
        "Display name, daily limit, SmartLead settings, pause and resume, new credentials "
        "(validated first; on failure the old ones stay)."
    ),
    tags=["accounts"],
    responses=documented(200, 400, 404, 409, 413, 415),
)
def update_sender_account(
    service: Annotated[UpdateService, Depends(updates.get)],
    inbox_id: str,
    request: Annotated[UpdateSenderAccountRequest, Body()],
) -> SenderAccountDetail:
    principal = caller(app, WRITE_SCOPE)
    return service.update(principal.workspace_id, inbox_id, request)


lambda_handler = api_handler(app, updates)
