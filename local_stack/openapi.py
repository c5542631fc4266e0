"""The OpenAPI document of the whole API, generated from the functions' own resolvers.

Each function has its own Powertools resolver, and each route says on its decorator what the
document shows of it (summary, description, tag, responses: the layer's http/documentation.py);
their documents are merged into one, in the order of template.yaml, with the one error schema
and the API key wherever a 401 can answer. `python -m local_stack.openapi` rewrites
docs/openapi.json.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from .functions import ensure_layer_on_path, load_handler_module
from .template import PROJECT_ROOT, StackTemplate, load_template

DOCUMENT_PATH = PROJECT_ROOT / "docs" / "openapi.json"
TITLE = "Sender-accounts API"
VERSION = "1.0.0"
TAGS = (
    "accounts", "sending", "bulk", "native", "domains", "health", "warmup", "oauth", "webhooks",
)  # fmt: skip
SMARTLEAD_TAG = {
    "name": "smartlead",
    "description": "SmartLead's email-account API at /api/v1 over the same inboxes: the key in "
    "the api_key query parameter (or X-API-Key), integer ids, SmartLead's fields and answers "
    "(docs/coming-from-smartlead.md).",
}


def _placeholder_environment(template: StackTemplate) -> None:
    """The handlers check at import that their variables are set (a running stack's stay)."""
    for logical_id in template.functions():
        for name, value in template.environment_at_defaults(
            logical_id, lambda _: "unused-by-the-document"
        ).items():
            os.environ.setdefault(name, value)
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


def build_document(template: StackTemplate | None = None) -> dict[str, Any]:
    template = template or StackTemplate(load_template())
    _placeholder_environment(template)
    ensure_layer_on_path()  # as in Lambda, the layer is a path added at start, not an install
    from sender_accounts.http.documentation import ERROR_SCHEMA

    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for logical_id in template.functions():
        props = template.function_properties(logical_id)
        module = load_handler_module(props["CodeUri"], props["Handler"])
        resolver = getattr(module, "app", None)
        if resolver is None or not hasattr(resolver, "get_openapi_json_schema"):
            continue  # the authorizer has no routes
        document = json.loads(resolver.get_openapi_json_schema(title=TITLE, version=VERSION))
        for path, operations in document.get("paths", {}).items():
            paths.setdefault(path, {}).update(operations)
        schemas.update(document.get("components", {}).get("schemas", {}))
    for operations in paths.values():
        for operation in operations.values():
            responses = operation["responses"]
            if "401" in responses:  # every operation with an API key, not the OAuth callback
                operation["security"] = [{"ApiKey": []}]
            if "smartlead" in operation.get("tags", ()):  # either way SmartLead clients send it
                operation["security"] = [{"ApiKey": []}, {"ApiKeyQuery": []}]
            operation["responses"] = dict(sorted(responses.items()))
    schemas["Error"] = ERROR_SCHEMA
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "Connect SMTP/IMAP mailboxes, validated for real; secrets under KMS.",
        },
        "servers": [{"url": "/"}],
        "tags": [*({"name": name} for name in TAGS), SMARTLEAD_TAG],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                "ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "ApiKeyQuery": {"type": "apiKey", "in": "query", "name": "api_key"},
            },
        },
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def main() -> int:
    DOCUMENT_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCUMENT_PATH.write_text(render(build_document()))
    print(f"wrote {DOCUMENT_PATH.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
