"""POST /domains: register a sending domain (an SES identity) and get its DNS records."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body

from sender_accounts.access.api_keys import WRITE_SCOPE
from sender_accounts.common.request_bodies import warned
from sender_accounts.composition import domains
from sender_accounts.domains.models import CreateDomainRequest, DomainResponse
from sender_accounts.domains.service import DomainService
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.post(
    f"{API_PREFIX}/domains",
    summary="Register a sending domain",
    description=(
        "Answers the DNS records to publish: the workspace's ownership token, DKIM, SPF, DMARC."
    ),
    tags=["domains"],
    responses=documented(201, 409, 413, 415),
)
def create_domain(
    service: Annotated[DomainService, Depends(domains.get)],
    request: Annotated[CreateDomainRequest, Body()],
) -> Response[DomainResponse]:
    principal = caller(app, WRITE_SCOPE)
    created = service.create(principal.workspace_id, request.domain)
    return Response(
        status_code=201, content_type=content_types.APPLICATION_JSON, body=warned(created, request)
    )


lambda_handler = api_handler(app, domains)
