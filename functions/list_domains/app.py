"""GET /domains: the workspace's domains, newest first, paginated (by page or cursor) like the
inbox list."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Query

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.composition import domain_lists
from sender_accounts.domains.listing import DomainListing
from sender_accounts.domains.models import DomainListResponse
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.get(
    f"{API_PREFIX}/domains",
    summary="List sending domains",
    description=(
        "Newest first, by page or cursor (400 INVALID_CURSOR for a cursor not issued for this "
        "workspace's domain list); statuses refreshed from SES."
    ),
    tags=["domains"],
    responses=documented(200, 400),
)
def list_domains(
    listing: Annotated[DomainListing, Depends(domain_lists.get)],
    page: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> DomainListResponse:
    principal = caller(app, READ_SCOPE)
    return listing.list(principal.workspace_id, page, limit, cursor)


lambda_handler = api_handler(app, domain_lists)
