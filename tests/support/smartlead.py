"""SmartLead's clients as they call: the key in the `api_key` query parameter, base URL
`<api>/api/v1`, JSON or form-encoded bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from local_stack.gateway import GatewayResponse
    from tests.support.stack import ApiClient

SMARTLEAD_API = "/api/v1"


@dataclass
class SmartLeadClient:
    of: ApiClient  # the workspace whose key this client sends

    @property
    def workspace_id(self) -> str:
        return self.of.workspace_id

    def call(self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None,
             form: bool = False, key: str | None = None) -> GatewayResponse:  # fmt: skip
        params = {"api_key": [self.of.api_key if key is None else key]}
        params.update({k: [str(v)] for k, v in (query or {}).items()})
        headers: dict[str, list[str]] = {}
        raw = None
        if body is not None:
            kind = "application/x-www-form-urlencoded" if form else "application/json"
            headers["Content-Type"] = [kind]
            raw = (urlencode(body) if form else json.dumps(body)).encode()
        return self.of.runtime.gateway.handle(
            method, f"{SMARTLEAD_API}{path}", params, headers, raw
        )


def smartlead_account(server: Any, user: str, password: str, **overrides: Any) -> dict[str, Any]:
    """A save body for the test Dovecot, as SmartLead's docs write it."""
    body: dict[str, Any] = {
        "from_name": "Outreach at Acme",
        "from_email": user,
        "user_name": user,
        "password": password,
        "smtp_host": "localhost",
        "smtp_port": server.submission_starttls_port,
        "imap_host": "localhost",
        "imap_port": server.imaps_port,
        "max_email_per_day": 40,
        "warmup_enabled": False,
    }
    body.update(overrides)
    return body
