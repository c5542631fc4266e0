"""What the OpenAPI document says of an operation beyond its route, given on the route's own
decorator (Powertools' `summary`, `description`, `tags`, `responses`): `documented` makes the
responses, the success one described and every error status with the one error shape and an
example. `local_stack.openapi` merges the functions' documents into docs/openapi.json."""

from __future__ import annotations

from typing import Any

# Every operation with an API key: the key, the scope, the rate limit, a failing dependency.
COMMON = (401, 403, 422, 429, 503)
BODY = (409, 413, 415)  # a POST or PATCH body: Idempotency-Key conflicts, size, content type
SUCCESS = {200: "Successful Response", 201: "Created", 202: "Accepted", 302: "Found"}
EXAMPLES = {
    400: ("AUTH_FAILED", "Authentication failed"),
    401: ("UNAUTHORIZED", "Invalid or missing API key"),
    403: ("INSUFFICIENT_SCOPE", "API key lacks a required scope"),
    404: ("NOT_FOUND", "Sender account not found"),
    409: ("DUPLICATE", "A sender account with address outreach@company.com already exists"),
    413: ("PAYLOAD_TOO_LARGE", "Request body larger than 1000000 bytes"),
    415: ("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json"),
    422: ("VALIDATION_ERROR", "body.smtp_port: Input should be less than or equal to 65535"),
    429: ("RATE_LIMITED", "Rate limit exceeded for this workspace"),
    503: ("SERVICE_UNAVAILABLE", "KMS is unavailable; nothing was stored, please retry"),
}
DESCRIPTIONS = {
    400: "A mailbox login failed, or a rule of the request's state (error_code says which)",
    401: "Missing or unknown X-API-Key",
    403: "The key lacks the scope (required and granted are listed)",
    404: "No such id in this workspace (another workspace's answers the same)",
    409: "A conflict with stored state or an Idempotency-Key (error_code says which)",
    413: "The body is larger than 1 MB",
    415: "The body is not application/json",
    422: "Invalid fields, each named by location",
    429: "Rate limit or daily limit reached; Retry-After says when to come back",
    503: "A dependency failed and nothing was stored (or a mail host is at its bound); retry",
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Error",
    "properties": {
        "detail": {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}],
            "description": "What went wrong; for 422, one entry per invalid field",
        },
        "error_code": {"type": "string"},
        "stage": {"type": "string"},
        "server_reply": {"type": "string"},
        "hint": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
        "required": {"type": "array", "items": {"type": "string"}},
        "granted": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["detail"],
}


def error_response(status: int) -> dict[str, Any]:
    code, detail = EXAMPLES[status]
    example: dict[str, Any] = {"detail": detail, "error_code": code}
    if status == 422:
        example["detail"] = [
            {"loc": ["body", "smtp_port"], "msg": detail.split(": ", 1)[1], "type": "value_error"}
        ]
    return {
        "description": DESCRIPTIONS[status],
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": example,
            }
        },
    }


def documented(success: int, *errors: int, public: bool = False) -> dict[int, Any]:
    """An operation's responses: `success` (its body's schema from the route's return type),
    the errors every keyed operation can answer (none for a `public` one) and `errors`."""
    responses: dict[int, Any] = {success: {"description": SUCCESS[success]}}
    for status in sorted({*(() if public else COMMON), *errors}):
        responses[status] = error_response(status)
    return responses
