"""DELETE /sender-accounts/{inbox_id}: the inbox, its secrets and its address guard."""

from sender_accounts.api import API_PREFIX, caller, create_resolver
from sender_accounts.api_keys import WRITE_SCOPE
from sender_accounts.edge import api_handler
from sender_accounts.models import DeleteSenderAccountResponse
from sender_accounts.wiring import sender_account_service

app = create_resolver()


@app.delete(f"{API_PREFIX}/sender-accounts/<inbox_id>")
def delete_sender_account(inbox_id: str) -> DeleteSenderAccountResponse:
    principal = caller(app, WRITE_SCOPE)
    return sender_account_service().delete(principal.workspace_id, inbox_id)


lambda_handler = api_handler(app)
