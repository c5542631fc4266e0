"""What every API function does before and after its route, in one place: request shape
limits, scopes by method, per-workspace rate limits, and Idempotency-Key replays."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from sender_accounts.access.api_keys import READ_SCOPE, WRITE_SCOPE
from sender_accounts.common.request_fingerprint import request_fingerprint
from sender_accounts.common.text_rules import LONE_SURROGATE, has_surrogate, lone_surrogate_at
from sender_accounts.composition import Component
from sender_accounts.errors import (
    IdempotencyKeyInProgress,
    IdempotencyKeyReused,
    InsufficientScope,
    InvalidRequest,
    RateLimited,
    RequestTooLarge,
    ServiceError,
    UnsupportedContentType,
)
from sender_accounts.http.errors import as_proxy_response
from sender_accounts.store.rate_limits import RateDecision, RateLimiter

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency.persistence.base import (
        BasePersistenceLayer,
    )

MAX_BODY_BYTES = 256 * 1024
MAX_JSON_DEPTH = 32
IDEMPOTENCY_HEADER = "idempotency-key"
READ_METHODS = {"GET", "HEAD", "OPTIONS"}


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


def check_shape(event: dict[str, Any]) -> None:
    """Size, content type, encoding and nesting of the body, before anything parses it."""
    body = event.get("body") or ""
    if len(body.encode()) > MAX_BODY_BYTES:
        raise RequestTooLarge(f"Request body larger than {MAX_BODY_BYTES} bytes")
    if event.get("httpMethod") in {"POST", "PATCH", "PUT"} and body:
        content_type = _headers(event).get("content-type", "application/json")
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise UnsupportedContentType("Content-Type must be application/json")
        if event.get("isBase64Encoded"):
            try:
                body = base64.b64decode(body).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                raise InvalidRequest(["body"], "must be UTF-8 JSON") from None
        if json_depth_exceeds(body, MAX_JSON_DEPTH):
            raise InvalidRequest(["body"], f"JSON nests deeper than {MAX_JSON_DEPTH}")
        if "\\u" in body or has_surrogate(body):
            _refuse_lone_surrogates(body)
    for part in ("queryStringParameters", "pathParameters"):
        found = lone_surrogate_at(event.get(part) or {})
        if found is not None:
            loc = "query" if part.startswith("query") else "path"
            raise InvalidRequest([loc, *found], LONE_SURROGATE)


def _refuse_lone_surrogates(body: str) -> None:
    """422 naming the field that holds a lone surrogate, before any work is done."""
    try:
        decoded = json.loads(body)
    except ValueError:
        return  # not JSON: the route's own parsing answers that
    found = lone_surrogate_at(decoded)
    if found is not None:
        raise InvalidRequest(["body", *found], LONE_SURROGATE)


def check_scope(event: dict[str, Any]) -> None:
    """Reads need the read scope, everything else the write scope, before the body is read."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    granted = sorted(str(authorizer.get("scopes", "")).split())
    required = READ_SCOPE if event.get("httpMethod") in READ_METHODS else WRITE_SCOPE
    if required not in granted:
        raise InsufficientScope([required], granted)


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


def refused_for_rate(decision: RateDecision) -> dict[str, Any]:
    """429 with the limit's headers and when to come back."""
    headers = {**decision.headers(), "Retry-After": str(decision.retry_after(time.time()))}
    return as_proxy_response(RateLimited(headers))


def handle(
    app: APIGatewayRestResolver,
    event: dict[str, Any],
    context: Any,
    limiter: RateLimiter,
    idempotency_store: Callable[[], BasePersistenceLayer],
    signing_key: Callable[[], bytes],
) -> dict[str, Any]:
    """Answer one API Gateway proxy event through `app`, with the edge's rules around it.
    The idempotency store is built only for a request that carries a key (it loads
    Powertools' idempotency utility)."""
    try:
        check_shape(event)
        check_scope(event)
    except ServiceError as refused:
        return as_proxy_response(refused)
    workspace_id = str(event["requestContext"]["authorizer"]["workspace_id"])
    decision = limiter.hit(workspace_id)
    if not decision.allowed:
        return refused_for_rate(decision)
    key = _headers(event).get(IDEMPOTENCY_HEADER)
    try:
        if key is not None and event.get("httpMethod") == "POST":
            replays = _Replays(idempotency_store(), signing_key)
            response = _idempotent(app, event, context, workspace_id, key, replays)
        else:
            response = app.resolve(event, context)
    except ServiceError as refused:
        response = as_proxy_response(refused)
    response["headers"] = {**(response.get("headers") or {}), **decision.headers()}
    return response


def _idempotent(
    app: APIGatewayRestResolver,
    event: dict[str, Any],
    context: Any,
    workspace_id: str,
    key: str,
    replays: _Replays,
) -> dict[str, Any]:
    # Loaded for POSTs that carry a key only: no other request pays for it.
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    if not 1 <= len(key) <= 255:
        raise InvalidRequest(["header", "Idempotency-Key"], "must be 1-255 characters")
    config = IdempotencyConfig(
        event_key_jmespath="[workspace_id, route, key]",
        payload_validation_jmespath="fingerprint",
        expires_after_seconds=24 * 3600,
        hash_function="sha256",
    )
    config.register_lambda_context(context)
    replayable = idempotent_function(
        data_keyword_argument="request", config=config, persistence_store=replays.store
    )(_resolve)
    request = {
        "workspace_id": workspace_id,
        # The concrete path, not the route template: a key used for inbox A's test email must
        # not replay A's answer for inbox B.
        "route": f"{event.get('httpMethod')} {event.get('path')}",
        "key": key,
        "fingerprint": request_fingerprint(replays.signing_key(), event.get("body") or ""),
    }
    try:
        return dict(replayable(request=request, app=app, event=event, context=context))
    except _NotReplayable as failed:
        return failed.response
    except IdempotencyValidationError:
        raise IdempotencyKeyReused() from None
    except IdempotencyAlreadyInProgressError:
        raise IdempotencyKeyInProgress() from None


@dataclass(frozen=True)
class _Replays:
    store: BasePersistenceLayer
    signing_key: Callable[[], bytes]


def serve(app: APIGatewayRestResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """`handle` with this process's rate limiter and idempotency store."""
    from sender_accounts.composition import idempotency_store, rate_limiter, signing_key

    return handle(app, event, context, rate_limiter.get(), idempotency_store.get, signing_key.get())


def api_handler(app: APIGatewayRestResolver, *uses: Component[Any]) -> Any:
    """The Lambda entry point of an API function: the edge's rules around `app`, with the
    request's logging context, correlation id and metrics. Fails the function's init when a
    variable that the edge or the route's use cases (`uses`) need is missing."""
    from aws_lambda_powertools.logging import correlation_paths

    from sender_accounts.adapters.observability import instrumented
    from sender_accounts.composition import idempotency_store, rate_limiter, require, signing_key

    require(rate_limiter, idempotency_store, signing_key, *uses)

    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return serve(app, event, context)

    return instrumented(lambda_handler, correlation_paths.API_GATEWAY_REST)


def public_handler(app: APIGatewayRestResolver, *uses: Component[Any]) -> Any:
    """The entry point of a route without an API key (the consent callback, authenticated by
    its state): the body rules apply, and the rate limit per source address (there is no
    workspace to count against); no scope, no idempotency."""
    from aws_lambda_powertools.logging import correlation_paths

    from sender_accounts.adapters.observability import instrumented
    from sender_accounts.composition import rate_limiter, require

    require(rate_limiter, *uses)

    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        try:
            check_shape(event)
        except ServiceError as refused:
            return as_proxy_response(refused)
        identity = (event.get("requestContext") or {}).get("identity") or {}
        decision = rate_limiter.get().hit(f"ip#{identity.get('sourceIp') or 'unknown'}")
        if not decision.allowed:
            return refused_for_rate(decision)
        try:
            return app.resolve(event, context)
        except ServiceError as refused:
            return as_proxy_response(refused)

    return instrumented(lambda_handler, correlation_paths.API_GATEWAY_REST)
