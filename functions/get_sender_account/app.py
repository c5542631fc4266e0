"""GET /sender-accounts/{inbox_id}."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.accounts.models import SenderAccountDetail
from sender_accounts.accounts.stored import StoredAccounts
from sender_accounts.composition import stored_accounts
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.get(
    f"{API_PREFIX}/sender-accounts/<inbox_id>",
    summary="Get one sender account",
    description="Every field but the secrets, health included.",
    tags=["accounts"],
    responses=documented(200, 404),
)
def get_sender_account(
    service: Annotated[StoredAccounts, Depends(stored_accounts.get)], inbox_id: str
) -> SenderAccountDetail:
    principal = caller(app, READ_SCOPE)
    return service.get(principal.workspace_id, inbox_id)


lambda_handler = api_handler(app, stored_accounts)
