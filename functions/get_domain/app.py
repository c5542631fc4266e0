"""GET /domains/{domain_id}: the domain, its status refreshed from SES."""

from sender_accounts.api import API_PREFIX, caller, create_resolver
from sender_accounts.api_keys import READ_SCOPE
from sender_accounts.edge import api_handler
from sender_accounts.models import DomainResponse
from sender_accounts.wiring import domains

app = create_resolver()


@app.get(f"{API_PREFIX}/domains/<domain_id>")
def get_domain(domain_id: str) -> DomainResponse:
    principal = caller(app, READ_SCOPE)
    return domains().get(principal.workspace_id, domain_id)


lambda_handler = api_handler(app)
