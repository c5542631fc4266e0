"""What every API function does before and after its route, in one place: request shape
limits, scopes by method, per-workspace rate limits, and Idempotency-Key replays."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.utilities.idempotency import (
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.base import BasePersistenceLayer

from sender_accounts.access.api_keys import READ_SCOPE, WRITE_SCOPE
from sender_accounts.store.rate_limits import RateLimiter

MAX_BODY_BYTES = 256 * 1024
MAX_JSON_DEPTH = 32
IDEMPOTENCY_HEADER = "idempotency-key"
READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def _response(status: int, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "body": json.dumps(body),
        "isBase64Encoded": False,
    }


def json_depth_exceeds(text: str, limit: int) -> bool:
    """True when brackets nest deeper than `limit`, outside strings; linear, no parsing."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _headers(event: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in (event.get("headers") or {}).items() if v is not None}


def _shape_problem(event: dict[str, Any]) -> dict[str, Any] | None:
    body = event.get("body") or ""
    if len(body.encode()) > MAX_BODY_BYTES:
        return _response(413, {"detail": f"Request body larger than {MAX_BODY_BYTES} bytes"})
    if event.get("httpMethod") in {"POST", "PATCH", "PUT"} and body:
        content_type = _headers(event).get("content-type", "application/json")
        if content_type.split(";")[0].strip().lower() != "application/json":
            return _response(415, {"detail": "Content-Type must be application/json"})
        if event.get("isBase64Encoded"):
            try:
                body = base64.b64decode(body).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                problem = {"loc": ["body"], "msg": "must be UTF-8 JSON", "type": "value_error"}
                return _response(422, {"detail": [problem]})
        if json_depth_exceeds(body, MAX_JSON_DEPTH):
            problem = {
                "loc": ["body"],
                "msg": f"JSON nests deeper than {MAX_JSON_DEPTH}",
                "type": "value_error",
            }
            return _response(422, {"detail": [problem]})
    return None


def _scope_problem(event: dict[str, Any]) -> dict[str, Any] | None:
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    granted = sorted(str(authorizer.get("scopes", "")).split())
    required = READ_SCOPE if event.get("httpMethod") in READ_METHODS else WRITE_SCOPE
    if required in granted:
        return None
    body = {
        "detail": "API key lacks a required scope",
        "error": "insufficient_scopes",
        "required": [required],
        "granted": granted,
    }
    return _response(403, body)


class _NotReplayable(Exception):
    """A 5xx answer: never stored for replay, so a retry with the same key does the work."""

    def __init__(self, response: dict[str, Any]) -> None:
        super().__init__("not replayable")
        self.response = response


def _resolve(
    request: dict[str, Any], app: APIGatewayRestResolver, event: dict[str, Any], context: Any
) -> dict[str, Any]:
    response = app.resolve(event, context)
    if int(response.get("statusCode", 500)) >= 500:
        raise _NotReplayable(response)
    return response


def handle(
    app: APIGatewayRestResolver,
    event: dict[str, Any],
    context: Any,
    limiter: RateLimiter,
    idempotency_store: BasePersistenceLayer,
) -> dict[str, Any]:
    """Answer one API Gateway proxy event through `app`, with the edge's rules around it."""
    answer = _shape_problem(event) or _scope_problem(event)
    if answer is not None:
        return answer
    workspace_id = str(event["requestContext"]["authorizer"]["workspace_id"])
    decision = limiter.hit(workspace_id)
    if not decision.allowed:
        headers = {**decision.headers(), "Retry-After": str(decision.retry_after(time.time()))}
        body = {"detail": "Rate limit exceeded for this workspace", "error_code": "RATE_LIMITED"}
        return _response(429, body, headers)
    key = _headers(event).get(IDEMPOTENCY_HEADER)
    if key is not None and event.get("httpMethod") == "POST":
        response = _idempotent(app, event, context, workspace_id, key, idempotency_store)
    else:
        response = app.resolve(event, context)
    response["headers"] = {**(response.get("headers") or {}), **decision.headers()}
    return response


def _idempotent(
    app: APIGatewayRestResolver,
    event: dict[str, Any],
    context: Any,
    workspace_id: str,
    key: str,
    store: BasePersistenceLayer,
) -> dict[str, Any]:
    if not 1 <= len(key) <= 255:
        problem = {
            "loc": ["header", "Idempotency-Key"],
            "msg": "must be 1-255 characters",
            "type": "value_error",
        }
        return _response(422, {"detail": [problem]})
    config = IdempotencyConfig(
        event_key_jmespath="[workspace_id, route, key]",
        payload_validation_jmespath="body",
        expires_after_seconds=24 * 3600,
    )
    config.register_lambda_context(context)
    replayable = idempotent_function(
        data_keyword_argument="request", config=config, persistence_store=store
    )(_resolve)
    request = {
        "workspace_id": workspace_id,
        # The concrete path, not the route template: a key used for inbox A's test email must
        # not replay A's answer for inbox B.
        "route": f"{event.get('httpMethod')} {event.get('path')}",
        "key": key,
        "body": event.get("body") or "",
    }
    try:
        return dict(replayable(request=request, app=app, event=event, context=context))
    except _NotReplayable as failed:
        return failed.response
    except IdempotencyValidationError:
        body = {
            "detail": "This Idempotency-Key was used with another request body",
            "error_code": "IDEMPOTENCY_KEY_REUSED",
        }
        return _response(409, body)
    except IdempotencyAlreadyInProgressError:
        body = {
            "detail": "A request with this Idempotency-Key is still in progress; retry shortly",
            "error_code": "IDEMPOTENCY_KEY_IN_PROGRESS",
        }
        return _response(409, body, {"Retry-After": "1"})


def serve(app: APIGatewayRestResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """`handle` with this process's rate limiter and idempotency store."""
    from sender_accounts.composition import idempotency_store, rate_limiter

    return handle(app, event, context, rate_limiter(), idempotency_store())


def api_handler(app: APIGatewayRestResolver) -> Any:
    """The Lambda entry point of an API function: Powertools' logging with the request's
    correlation id, metrics and tracing around `serve`. Every API function uses this one."""
    from aws_lambda_powertools.logging import correlation_paths

    from sender_accounts.adapters.observability import logger, metrics, tracer

    @logger.inject_lambda_context(
        correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
    )
    @metrics.log_metrics
    @tracer.capture_lambda_handler
    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return serve(app, event, context)

    return lambda_handler
