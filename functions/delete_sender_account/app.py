"""DELETE /sender-accounts/{inbox_id}: the inbox, its secrets and its address guard."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.accounts.models import DeleteSenderAccountResponse
from sender_accounts.accounts.stored import StoredAccounts
from sender_accounts.composition import stored_accounts
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.delete(
    f"{API_PREFIX}/sender-accounts/<inbox_id>",
    summary="Delete a sender account",
    description="Removes the mailbox, its secrets and its address.",
    tags=["accounts"],
    responses=documented(200, 404),
)
def delete_sender_account(
    service: Annotated[StoredAccounts, Depends(stored_accounts.get)], inbox_id: str
) -> DeleteSenderAccountResponse:
    principal = caller(app, WRITE_SCOPE)
    return service.delete(principal.workspace_id, inbox_id)


lambda_handler = api_handler(app, stored_accounts)
