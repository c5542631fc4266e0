"""GET /domains/{domain_id}: the domain, its status refreshed from SES."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.composition import domains
from sender_accounts.domains.models import DomainResponse
from sender_accounts.domains.service import DomainService
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.get(
    f"{API_PREFIX}/domains/<domain_id>",
    summary="Get one sending domain",
    description="Its status refreshed from SES.",
    tags=["domains"],
    responses=documented(200, 404),
)
def get_domain(
    service: Annotated[DomainService, Depends(domains.get)], domain_id: str
) -> DomainResponse:
    principal = caller(app, READ_SCOPE)
    return service.get(principal.workspace_id, domain_id)


lambda_handler = api_handler(app, domains)
