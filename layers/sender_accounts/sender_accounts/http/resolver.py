"""The HTTP edge shared by every API function: the resolver, the caller, errors mapped once."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from sender_accounts.access.api_keys import Principal
from sender_accounts.adapters.observability import logger
from sender_accounts.errors import (
    ConcurrentUpdate,
    ConfirmationRequired,
    ConnectionValidationFailed,
    DailyLimitReached,
    DependencyUnavailable,
    DomainInUse,
    DomainNotActive,
    DuplicateAddress,
    DuplicateDomain,
    FieldRuleViolated,
    InsufficientScope,
    InvalidStatusTransition,
    NotFound,
    Unauthenticated,
)

API_PREFIX = "/api/public/v1"
RETRY_AFTER_SECONDS = "5"


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(body),
        headers=headers,
    )


def _validation_problem(error: dict[str, Any]) -> dict[str, Any]:
    # Only location, message and type: pydantic's `input` would echo a password back.
    return {
        "loc": list(error.get("loc", ())),
        "msg": str(error.get("msg", "invalid value")).removeprefix("Value error, "),
        "type": error.get("type", "value_error"),
    }


def create_resolver() -> APIGatewayRestResolver:
    """A REST resolver with pydantic validation and the contract's error bodies."""
    app = APIGatewayRestResolver(enable_validation=True)

    @app.exception_handler(RequestValidationError)
    def _invalid_request(exc: RequestValidationError) -> Response[Any]:
        return _json(422, {"detail": [_validation_problem(e) for e in exc.errors()]})

    @app.exception_handler(NotFound)
    def _not_found(exc: NotFound) -> Response[Any]:
        return _json(404, {"detail": str(exc)})

    @app.exception_handler(DuplicateAddress)
    def _duplicate(exc: DuplicateAddress) -> Response[Any]:
        return _json(409, {"detail": str(exc), "error_code": "DUPLICATE"})

    @app.exception_handler(InsufficientScope)
    def _forbidden(exc: InsufficientScope) -> Response[Any]:
        body = {
            "detail": str(exc),
            "error": "insufficient_scopes",
            "required": exc.required,
            "granted": exc.granted,
        }
        return _json(403, body)

    @app.exception_handler(Unauthenticated)
    def _unauthenticated(exc: Unauthenticated) -> Response[Any]:
        return _json(401, {"detail": str(exc)})

    @app.exception_handler(DailyLimitReached)
    def _daily_limit(exc: DailyLimitReached) -> Response[Any]:
        body = {"detail": str(exc), "error_code": "DAILY_LIMIT_REACHED"}
        return _json(429, body, {"Retry-After": str(exc.retry_after_seconds)})

    @app.exception_handler(InvalidStatusTransition)
    def _invalid_transition(exc: InvalidStatusTransition) -> Response[Any]:
        return _json(400, {"detail": str(exc), "error_code": "INVALID_STATUS_TRANSITION"})

    @app.exception_handler(ConcurrentUpdate)
    def _concurrent(exc: ConcurrentUpdate) -> Response[Any]:
        return _json(409, {"detail": str(exc), "error_code": "CONCURRENT_UPDATE"})

    @app.exception_handler(FieldRuleViolated)
    def _field_rule(exc: FieldRuleViolated) -> Response[Any]:
        problem = {"loc": ["body", exc.field], "msg": str(exc), "type": "value_error"}
        return _json(422, {"detail": [problem]})

    @app.exception_handler(DomainNotActive)
    def _domain_not_active(exc: DomainNotActive) -> Response[Any]:
        return _json(400, {"detail": str(exc), "error_code": "DOMAIN_NOT_ACTIVE"})

    @app.exception_handler(DomainInUse)
    def _domain_in_use(exc: DomainInUse) -> Response[Any]:
        return _json(409, {"detail": str(exc), "error_code": "IN_USE"})

    @app.exception_handler(DuplicateDomain)
    def _duplicate_domain(exc: DuplicateDomain) -> Response[Any]:
        return _json(409, {"detail": str(exc), "error_code": "DUPLICATE"})

    @app.exception_handler(ConfirmationRequired)
    def _unconfirmed(exc: ConfirmationRequired) -> Response[Any]:
        return _json(400, {"detail": str(exc), "error_code": "CONFIRMATION_REQUIRED"})

    @app.exception_handler(ConnectionValidationFailed)
    def _validation_failed(exc: ConnectionValidationFailed) -> Response[Any]:
        return _json(400, exc.body)

    @app.exception_handler(DependencyUnavailable)
    def _unavailable(exc: DependencyUnavailable) -> Response[Any]:
        logger.warning(
            "dependency unavailable", extra={"dependency": exc.service, "cause": exc.cause}
        )
        body = {"detail": str(exc), "error_code": "SERVICE_UNAVAILABLE"}
        return _json(503, body, {"Retry-After": RETRY_AFTER_SECONDS})

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
