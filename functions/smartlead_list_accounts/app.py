"""GET /api/v1/email-accounts: SmartLead's list, a bare array by offset and limit."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import ValidationError

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.composition import smartlead_lists
from sender_accounts.http.documentation import documented
from sender_accounts.http.resolver import caller, create_resolver
from sender_accounts.http.smartlead_edge import SMARTLEAD_PREFIX, smartlead_handler
from sender_accounts.smartlead.account_object import SmartLeadAccount
from sender_accounts.smartlead.fields import ListFilters
from sender_accounts.smartlead.listing import SmartLeadListing

app = create_resolver()
TrueFalse = Literal["true", "false"]


@app.get(
    f"{SMARTLEAD_PREFIX}/email-accounts",
    summary="List email accounts (SmartLead)",
    description=(
        "Oldest first; `offset` and `limit` (1-100); filters username (part of the address, any "
        "case), client_id, esp, emailWarmupStatus, isSmtpSuccess, isImapSuccess, isWarmupBlocked."
    ),
    tags=["smartlead"],
    responses=documented(200),
)
def list_accounts(
    service: Annotated[SmartLeadListing, Depends(smartlead_lists.get)],
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 100,
    username: Annotated[str | None, Query(max_length=255)] = None,
    client_id: Annotated[str | None, Query(max_length=255)] = None,
    esp: Annotated[Literal["GMAIL", "OUTLOOK", "SMTP"] | None, Query()] = None,
    email_warmup_status: Annotated[
        Literal["ACTIVE", "INACTIVE"] | None, Query(alias="emailWarmupStatus")
    ] = None,
    is_smtp_success: Annotated[TrueFalse | None, Query(alias="isSmtpSuccess")] = None,
    is_imap_success: Annotated[TrueFalse | None, Query(alias="isImapSuccess")] = None,
    is_warmup_blocked: Annotated[TrueFalse | None, Query(alias="isWarmupBlocked")] = None,
) -> list[SmartLeadAccount]:
    principal = caller(app, READ_SCOPE)
    try:
        filters = ListFilters.model_validate({
            "offset": offset, "limit": limit, "username": username, "client_id": client_id,
            "esp": esp, "email_warmup_status": email_warmup_status,
            "is_smtp_success": is_smtp_success, "is_imap_success": is_imap_success,
            "is_warmup_blocked": is_warmup_blocked,
        })  # fmt: skip
    except ValidationError as exc:  # the filters' text rules (one line, no control characters)
        raise RequestValidationError(
            [
                {"loc": ("query", *e["loc"]), "msg": e["msg"], "type": e["type"]}
                for e in exc.errors()
            ]
        ) from None
    return service.page(principal.workspace_id, filters)


lambda_handler = smartlead_handler(app, smartlead_lists)
