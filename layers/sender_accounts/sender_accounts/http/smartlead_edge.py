"""The edge of SmartLead's surface (`/api/v1`), around the same rules as ColdSend's
(edge.py): the key a client put in the query string is removed from the event before anything
reads it (logs, idempotency records, the routes), form-encoded bodies are read like JSON, a
trailing slash names the same route, and every error carries SmartLead's `ok`, `message` and
`error` besides our `error_code`."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qsl

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from sender_accounts.composition import Component

SMARTLEAD_PREFIX = "/api/v1"
QUERY_KEY = "api_key"
FORM = "application/x-www-form-urlencoded"


def without_query_key(event: dict[str, Any]) -> dict[str, Any]:
    """The event as the route sees it: no `api_key`, however it was spelt in the query."""
    cleaned = dict(event)
    for part in ("queryStringParameters", "multiValueQueryStringParameters"):
        values = event.get(part) or {}
        kept = {k: v for k, v in values.items() if k.lower() != QUERY_KEY}
        cleaned[part] = kept or None
    return cleaned


def _form_as_json(event: dict[str, Any]) -> dict[str, Any]:
    headers = event.get("headers") or {}
    name = next((k for k in headers if k.lower() == "content-type"), None)
    if name is None or str(headers[name]).split(";")[0].strip().lower() != FORM:
        return event
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")
    fields = dict(parse_qsl(body, keep_blank_values=True))
    converted = {**event, "body": json.dumps(fields), "isBase64Encoded": False}
    converted["headers"] = {**headers, name: "application/json"}
    multi = event.get("multiValueHeaders") or {}
    converted["multiValueHeaders"] = {
        k: (["application/json"] if k.lower() == "content-type" else v) for k, v in multi.items()
    }
    return converted


def _trailing_slash_dropped(event: dict[str, Any]) -> dict[str, Any]:
    path = str(event.get("path") or "")
    return {**event, "path": path.rstrip("/")} if len(path) > 1 and path.endswith("/") else event


def message_of(body: dict[str, Any]) -> str:
    detail = body.get("detail")
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list) and detail:
        parts = []
        for problem in detail:
            where = ".".join(str(p) for p in (problem.get("loc") or [])[1:]) or "request"
            parts.append(f"{where}: {problem.get('msg', 'invalid value')}")
        return "Invalid request: " + "; ".join(parts)
    return str(body.get("error_code") or "Request failed")


def smartlead_shaped(response: dict[str, Any]) -> dict[str, Any]:
    """An error answer with SmartLead's fields added; others as they are."""
    if int(response.get("statusCode", 200)) < 400 or response.get("isBase64Encoded"):
        return response
    try:
        body = json.loads(response.get("body") or "{}")
    except ValueError:
        return response
    if not isinstance(body, dict):
        return response
    message = body.get("message") if isinstance(body.get("message"), str) else message_of(body)
    error = body.get("error") if isinstance(body.get("error"), str) else message
    shaped = {"ok": False, **body, "message": message, "error": error}
    return {**response, "body": json.dumps(shaped)}


def smartlead_handler(app: APIGatewayRestResolver, *uses: Component[Any]) -> Any:
    """The Lambda entry point of a SmartLead route: edge.py's rules, with this surface's
    own around them."""
    from aws_lambda_powertools.logging import correlation_paths

    from sender_accounts.adapters.observability import instrumented
    from sender_accounts.composition import idempotency_store, rate_limiter, require, signing_key
    from sender_accounts.http.edge import serve

    require(rate_limiter, idempotency_store, signing_key, *uses)

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        event = _trailing_slash_dropped(_form_as_json(event))
        return smartlead_shaped(serve(app, event, context))

    wrapped = instrumented(handle, correlation_paths.API_GATEWAY_REST)

    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        # Removed before the logging context, tracing or metrics see the event.
        return dict(wrapped(without_query_key(event), context))

    return lambda_handler
