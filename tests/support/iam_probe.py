"""Run in its own process by the IAM tests: a local stack from an edited copy of template.yaml
(one action removed from one function's policy), one request through it, and what it left.

    python -m tests.support.iam_probe <function logical id> <action to remove>

Prints one JSON line: the answer's status and body, the dependency failures the product
logged, and how many inboxes the probe's workspace holds afterwards (read as the administrator).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "layers" / "sender_accounts")]
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "sender-accounts")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "SenderAccounts")


def without_action(body: dict[str, Any], function: str, action: str) -> dict[str, Any]:
    removed = 0
    for policy in body["Resources"][function]["Properties"]["Policies"]:
        for statement in policy.get("Statement", []):
            actions = statement["Action"]
            actions = [actions] if isinstance(actions, str) else actions
            removed += actions.count(action)
            statement["Action"] = [a for a in actions if a != action]
        policy["Statement"] = [s for s in policy.get("Statement", []) if s["Action"]]
    if not removed:
        raise SystemExit(f"{function} has no {action} to remove")
    return body


class _Failures(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.causes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage() == "dependency unavailable":
            self.causes.append(
                f"{record.__dict__.get('dependency')}: {record.__dict__.get('cause')}"
            )


def main(function: str, action: str) -> int:
    from local_stack.runtime import start_local_runtime
    from local_stack.template import StackTemplate, load_template

    template = StackTemplate(without_action(load_template(), function, action))
    runtime = start_local_runtime(template=template)
    from sender_accounts.access.api_keys import issue_key
    from sender_accounts.adapters.aws_clients import client
    from sender_accounts.composition import access_store

    failures = _Failures()
    logging.getLogger("sender-accounts").addHandler(failures)
    workspace_id, key = issue_key(access_store.get(), "probe", prefix="cs_test_")
    account = {
        "email_address": "probe@acme.test",
        "display_name": "Probe",
        "inbox_type": "CUSTOM_SMTP",
        "smtp_host": "127.0.0.1",
        "smtp_port": 9,
        "smtp_username": "probe@acme.test",
        "smtp_password": "Probe-password-1",
        "imap_host": "127.0.0.1",
        "imap_port": 9,
        "imap_username": "probe@acme.test",
        "imap_password": "Probe-password-1",
        "on_validation_failure": "store",
    }
    response = runtime.gateway.handle(
        "POST",
        "/api/public/v1/sender-accounts/smtp",
        None,
        {"X-API-Key": [key], "Content-Type": ["application/json"]},
        json.dumps(account).encode(),
    )
    items = client("dynamodb").scan(TableName=os.environ["TABLE_NAME"])["Items"]
    inboxes = [
        item
        for item in items
        if item["sk"]["S"].startswith("INBOX#") and item["pk"]["S"] == f"WS#{workspace_id}"
    ]
    print(
        json.dumps(
            {
                "status": response.status,
                "body": json.loads(response.body or b"null"),
                "failures": failures.causes,
                "inboxes": len(inboxes),
            }
        )
    )
    runtime.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
