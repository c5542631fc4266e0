"""DELETE /domains/{domain_id}: refused with 409 while inboxes use it."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.composition import domains
from sender_accounts.domains.models import DeleteDomainResponse
from sender_accounts.domains.service import DomainService
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.delete(
    f"{API_PREFIX}/domains/<domain_id>",
    summary="Delete a sending domain",
    description="Refused (409 IN_USE) while inboxes use it.",
    tags=["domains"],
    responses=documented(200, 404, 409),
)
def delete_domain(
    service: Annotated[DomainService, Depends(domains.get)], domain_id: str
) -> DeleteDomainResponse:
    principal = caller(app, WRITE_SCOPE)
    name = service.delete(principal.workspace_id, domain_id)
    return DeleteDomainResponse(message=f"Domain {name} deleted", domain_id=domain_id)


lambda_handler = api_handler(app, domains)
