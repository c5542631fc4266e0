"""GET /sender-accounts: paginated (by page or cursor), filtered, searched, sorted."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Query

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.accounts.listing import SenderAccountListing
from sender_accounts.accounts.models import (
    InboxStatus,
    InboxType,
    ListQuery,
    ListSenderAccountsResponse,
    SortField,
    SortOrder,
    WarmupStatus,
)
from sender_accounts.common.text_rules import SingleLine
from sender_accounts.composition import account_lists
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.get(
    f"{API_PREFIX}/sender-accounts",
    summary="List sender accounts",
    description=(
        "Filters (inbox_type, status, search, health_below, warmup_status), sort (also by "
        "warmup_reputation), and page or cursor pagination; "
        "every page costs what it shows."
    ),
    tags=["accounts"],
    responses=documented(200, 400),
)
def list_sender_accounts(
    service: Annotated[SenderAccountListing, Depends(account_lists.get)],
    page: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    inbox_type: Annotated[InboxType | None, Query()] = None,
    status: Annotated[InboxStatus | None, Query()] = None,
    search: Annotated[SingleLine | None, Query(max_length=255)] = None,
    sort_by: Annotated[SortField, Query()] = SortField.CREATED_AT,
    sort_order: Annotated[SortOrder, Query()] = SortOrder.DESC,
    health_below: Annotated[int | None, Query(ge=0, le=100)] = None,
    warmup_status: Annotated[WarmupStatus | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> ListSenderAccountsResponse:
    principal = caller(app, READ_SCOPE)
    query = ListQuery(
        page=page,
        limit=limit,
        inbox_type=inbox_type,
        status=status,
        search=search,
        sort_by=sort_by,
        sort_order=sort_order,
        health_below=health_below,
        warmup_status=warmup_status,
        cursor=cursor,
    )
    return service.list(principal.workspace_id, query)


lambda_handler = api_handler(app, account_lists)
