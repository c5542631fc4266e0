"""The one error renderer: every ServiceError becomes its declared status, body and headers,
whether a route raised it (a Powertools Response) or the edge did before any route ran (an
API Gateway proxy response)."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types

from sender_accounts.adapters.observability import logger
from sender_accounts.errors import DependencyUnavailable, ServiceError


def _log(error: ServiceError) -> None:
    if isinstance(error, DependencyUnavailable):
        logger.warning(
            "dependency unavailable", extra={"dependency": error.service, "cause": error.cause}
        )


def as_response(error: ServiceError) -> Response[Any]:
    _log(error)
    return Response(
        status_code=error.status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(error.body()),
        headers=error.headers() or None,
    )


def as_proxy_response(error: ServiceError) -> dict[str, Any]:
    _log(error)
    return {
        "statusCode": error.status,
        "headers": {"Content-Type": "application/json", **error.headers()},
        "body": json.dumps(error.body()),
        "isBase64Encoded": False,
    }


def validation_problem(error: dict[str, Any]) -> dict[str, Any]:
    # Only location, message and type: pydantic's `input` would echo a password back.
    return {
        "loc": list(error.get("loc", ())),
        "msg": str(error.get("msg", "invalid value")).removeprefix("Value error, "),
        "type": error.get("type", "value_error"),
    }
