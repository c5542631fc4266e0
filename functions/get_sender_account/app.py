"""GET /sender-accounts/{inbox_id}."""

from sender_accounts.api import API_PREFIX, caller, create_resolver
from sender_accounts.api_keys import READ_SCOPE
from sender_accounts.edge import api_handler
from sender_accounts.models import SenderAccountDetail
from sender_accounts.wiring import sender_account_service

app = create_resolver()


@app.get(f"{API_PREFIX}/sender-accounts/<inbox_id>")
def get_sender_account(inbox_id: str) -> SenderAccountDetail:
    principal = caller(app, READ_SCOPE)
    return sender_account_service().get(principal.workspace_id, inbox_id)


lambda_handler = api_handler(app)
