"""The resolver every API function uses, and the caller its authorizer established."""

from __future__ import annotations

import ipaddress
import json
import os
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from sender_accounts.access.api_keys import Principal
from sender_accounts.adapters.observability import logger
from sender_accounts.errors import InsufficientScope, ServiceError, Unauthenticated
from sender_accounts.http.errors import as_response, validation_problem

API_PREFIX = "/api/public/v1"


def create_resolver() -> APIGatewayRestResolver:
    """A REST resolver with pydantic validation and the contract's error bodies."""
    app = APIGatewayRestResolver(enable_validation=True)

    @app.exception_handler(RequestValidationError)
    def _invalid_request(exc: RequestValidationError) -> Response[Any]:
        body = {
            "detail": [validation_problem(e) for e in exc.errors()],
            "error_code": "VALIDATION_ERROR",
        }
        return Response(
            status_code=422, content_type=content_types.APPLICATION_JSON, body=json.dumps(body)
        )

    @app.exception_handler(ServiceError)
    def _service_error(exc: ServiceError) -> Response[Any]:
        return as_response(exc)

    return app


def caller(app: APIGatewayRestResolver, required_scope: str) -> Principal:
    """The workspace and scopes the authorizer established; 403 without `required_scope`."""
    context = (app.current_event.raw_event.get("requestContext") or {}).get("authorizer") or {}
    workspace_id = context.get("workspace_id")
    if not workspace_id:
        raise Unauthenticated()
    scopes = frozenset(str(context.get("scopes", "")).split())
    if required_scope not in scopes:
        raise InsufficientScope([required_scope], sorted(scopes))
    logger.append_keys(workspace_id=workspace_id)
    return Principal(str(workspace_id), scopes)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def public_url(app: APIGatewayRestResolver, path: str) -> str:
    """`path` as the API's users reach it: under PUBLIC_BASE_URL (the PublicBaseUrl parameter,
    for a custom domain) when set, else on the host the request came to (its stage included
    on an execute-api host; http only on loopback, where the local runtime serves)."""
    base = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
    if base:
        return f"{base}{path}"
    event = app.current_event.raw_event
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items() if v}
    context = event.get("requestContext") or {}
    host = str(headers.get("host") or context.get("domainName") or "localhost")
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 or "]:" in host else host
    if _is_loopback(name.strip("[]")):
        return f"http://{host}{path}"
    stage = context.get("stage")
    prefix = f"/{stage}" if stage and host.endswith(".amazonaws.com") else ""
    return f"https://{host}{prefix}{path}"
