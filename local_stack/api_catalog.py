"""What the OpenAPI document says of each operation beyond its route: its tag, summary and
description (from the contract), the status it answers on success, and every error status it
can answer, each with the one error shape and an example."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Every operation: its key, scope and rate limit, its failing dependencies.
COMMON = (401, 403, 422, 429, 503)
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


@dataclass(frozen=True)
class Operation:
    tag: str
    summary: str
    description: str
    success: int = 200
    errors: tuple[int, ...] = field(default=())
    public: bool = False  # no API key: no 401, 403 or rate limit


def _op(tag: str, summary: str, description: str, success: int = 200, *errors: int) -> Operation:
    return Operation(tag, summary, description, success, errors)


OAUTH_APPS = "/api/public/v1/oauth-apps"


BODY = (409, 413, 415)  # a POST or PATCH body: Idempotency-Key conflicts, size, content type
ACCOUNTS = "/api/public/v1/sender-accounts"
CATALOG: dict[tuple[str, str], Operation] = {
    ("post", f"{ACCOUNTS}/smtp"): _op(
        "accounts", "Connect an SMTP/IMAP mailbox",
        "Logs in to SMTP and IMAP side by side before anything is stored; the passwords are "
        "sealed with KMS. 400 names the failed stage and the server's reply.",
        201, 400, *BODY),
    ("post", ACCOUNTS): _op(
        "accounts", "Connect an SMTP/IMAP mailbox (alias)", "As POST /sender-accounts/smtp.",
        201, 400, *BODY),
    ("get", ACCOUNTS): _op(
        "accounts", "List sender accounts",
        "Filters (inbox_type, status, search, health_below), sort, and page or cursor pagination; "
        "every page costs what it shows.",
        200, 400),
    ("get", f"{ACCOUNTS}/{{inbox_id}}"): _op(
        "accounts", "Get one sender account", "Every field but the secrets, health included.",
        200, 404),
    ("patch", f"{ACCOUNTS}/{{inbox_id}}"): _op(
        "accounts", "Update a sender account",
        "Display name, daily limit, SmartLead settings, pause and resume, new credentials "
        "(validated first; on failure the old ones stay).",
        200, 400, 404, *BODY),
    ("delete", f"{ACCOUNTS}/{{inbox_id}}"): _op(
        "accounts", "Delete a sender account", "Removes the mailbox, its secrets and its address.",
        200, 404),
    ("post", f"{ACCOUNTS}/{{inbox_id}}/test-email"): _op(
        "sending", "Send a test email",
        "A real message through the inbox's own server, counted against today's daily_limit; "
        "only ACTIVE inboxes send.",
        200, 400, 404, *BODY),
    ("post", f"{ACCOUNTS}/smtp/bulk"): _op(
        "bulk", "Connect 1-100 mailboxes", "Answered at once with a job; validated through SQS.",
        202, *BODY),
    ("get", f"{ACCOUNTS}/smtp/bulk/{{job_id}}/progress"): _op(
        "bulk", "Bulk creation progress", "Counts, percentage and per-row results.", 200, 404),
    ("post", f"{ACCOUNTS}/bulk/delete"): _op(
        "bulk", "Delete 1-100 sender accounts", "Needs confirm_deletion: true; asynchronous.",
        202, 400, *BODY),
    ("get", f"{ACCOUNTS}/bulk/delete/{{job_id}}/progress"): _op(
        "bulk", "Bulk deletion progress", "Deleted, skipped and failed rows.", 200, 404),
    ("post", f"{ACCOUNTS}/coldsend-native"): _op(
        "native", "Create a managed inbox", "An address on an ACTIVE workspace domain (SES).",
        201, 400, 404, *BODY),
    ("post", f"{ACCOUNTS}/coldsend-native/bulk"): _op(
        "native", "Create 1-100 managed inboxes", "Synchronous, with per-item results.",
        200, 400, 404, *BODY),
    ("post", "/api/public/v1/domains"): _op(
        "domains", "Register a sending domain",
        "Answers the DNS records to publish: the workspace's ownership token, DKIM, SPF, DMARC.",
        201, *BODY),
    ("get", "/api/public/v1/domains"): _op(
        "domains", "List sending domains",
        "Newest first, by page or cursor (400 INVALID_CURSOR for a cursor not issued for this "
        "workspace's domain list); statuses refreshed from SES.", 200, 400),
    ("get", "/api/public/v1/domains/{domain_id}"): _op(
        "domains", "Get one sending domain", "Its status refreshed from SES.", 200, 404),
    ("delete", "/api/public/v1/domains/{domain_id}"): _op(
        "domains", "Delete a sending domain", "Refused (409 IN_USE) while inboxes use it.",
        200, 404, 409),
    ("post", f"{ACCOUNTS}/{{inbox_id}}/check"): _op(
        "health", "Check a mailbox now",
        "Logins with the stored credentials, DNS, score and status rules; within "
        "CHECK_MIN_INTERVAL_SECONDS of the last check, that result.",
        200, 404, 409),
    ("post", f"{ACCOUNTS}/bulk/check"): _op(
        "health", "Check listed inboxes, or every inbox in one status",
        "Asynchronous, like the other bulk jobs.", 202, *BODY),
    ("get", f"{ACCOUNTS}/bulk/check/{{job_id}}/progress"): _op(
        "health", "Bulk check progress", "Counts per outcome and per-row results.", 200, 404),
    ("post", OAUTH_APPS): _op(
        "oauth", "Register an OAuth app (Google or Microsoft)",
        "The client secret is sealed with KMS and never shown again; custom endpoint URLs obey "
        "the outbound rule.", 201, *BODY),
    ("get", OAUTH_APPS): _op("oauth", "List OAuth apps", "Oldest first; no secrets.", 200),
    ("get", f"{OAUTH_APPS}/{{oauth_app_id}}"): _op(
        "oauth", "Get one OAuth app", "With the count of inboxes using it.", 200, 404),
    ("delete", f"{OAUTH_APPS}/{{oauth_app_id}}"): _op(
        "oauth", "Delete an OAuth app", "Refused (409 IN_USE) while inboxes use it.",
        200, 404, 409),
    ("post", f"{ACCOUNTS}/oauth"): _op(
        "oauth", "Connect a Google or Microsoft mailbox with OAuth2 tokens",
        "SmartLead's token object (access_token, refresh_token, expiry_date in ms): refreshed "
        "once, then SMTP AUTH XOAUTH2 and IMAP AUTHENTICATE XOAUTH2 side by side; the tokens "
        "are sealed with KMS.", 201, 400, *BODY),
    ("post", "/api/public/v1/oauth/authorizations"): _op(
        "oauth", "Start the hosted consent",
        "An authorization URL with PKCE (S256) and a single-use state valid 10 minutes.",
        201, *BODY),
    ("get", "/api/public/v1/oauth/callback"): Operation(
        "oauth", "The provider's redirect after consent (no API key)",
        "Exchanges the code, connects the mailbox and redirects (302) to the consent's "
        "redirect_uri with inbox_id, or with error and error_code. 400 for a state never issued.",
        302, (400,), public=True),
}  # fmt: skip


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


def describe(method: str, path: str, operation: dict[str, Any]) -> None:
    """Complete one operation of the document in place."""
    entry = CATALOG[(method, path)]
    operation.update(tags=[entry.tag], summary=entry.summary, description=entry.description)
    responses = operation.setdefault("responses", {})
    if entry.success != 200 and "200" in responses:
        success = responses.pop("200")
        success["description"] = {201: "Created", 202: "Accepted", 302: "Found"}[entry.success]
        responses[str(entry.success)] = success
    for status in sorted({*(() if entry.public else COMMON), *entry.errors}):
        responses[str(status)] = error_response(status)
    operation["responses"] = dict(sorted(responses.items()))
