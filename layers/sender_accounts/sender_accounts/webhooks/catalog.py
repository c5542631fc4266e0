"""The events a webhook may subscribe to, by name, and the bodies delivered for them.

Each lifecycle event on the bus has one name here; `webhook.test` is the only event made for
webhooks alone. A body is `{"type", "timestamp", "data"}`; `format: smartlead` sends SmartLead's
own disconnect payload for disconnects. No event carries a secret, so no body does.
"""

from __future__ import annotations

import json
from typing import Any

EVENT_NAMES = {
    "SenderAccountCreated": "sender_account.created",
    "SenderAccountUpdated": "sender_account.updated",
    "SenderAccountStatusChanged": "sender_account.status_changed",
    "SenderAccountDeleted": "sender_account.deleted",
    "SenderAccountDisconnected": "sender_account.disconnected",
    "SenderAccountReconnected": "sender_account.reconnected",
    "SenderAccountHealthChanged": "sender_account.health_changed",
    "BulkJobCompleted": "bulk_job.completed",
    "WarmupStarted": "warmup.started",
    "WarmupPaused": "warmup.paused",
    "WarmupResumed": "warmup.resumed",
    "DomainStatusChanged": "domain.status_changed",
    "WebhookDisabled": "webhook.disabled",
}
TEST_EVENT = "webhook.test"
ALL_EVENTS = "*"
SUBSCRIBABLE = frozenset({*EVENT_NAMES.values(), TEST_EVENT})
DISCONNECTED = "sender_account.disconnected"


def subscribed(events: list[str], name: str) -> bool:
    return name == TEST_EVENT or ALL_EVENTS in events or name in events


def standard_body(name: str, timestamp: str, data: dict[str, Any]) -> str:
    return json.dumps({"type": name, "timestamp": timestamp, "data": data}, separators=(",", ":"))


def smartlead_disconnect_body(data: dict[str, Any]) -> str:
    """SmartLead's EMAIL_ACCOUNT_DISCONNECTED payload: its integer account id, the address and
    why the account stopped working."""
    email = data.get("email_address", "")
    reason = data.get("detail") or data.get("error_code") or "The mailbox stopped working"
    return json.dumps(
        {
            "eventType": "EMAIL_ACCOUNT_DISCONNECTED",
            "accountId": data.get("account_id"),
            "email": email,
            "error": reason,
            "title": "Email account disconnected",
            "message": f"{email} was disconnected: {reason}",
        },
        separators=(",", ":"),
    )


def body_for(webhook_format: str, name: str, timestamp: str, data: dict[str, Any]) -> str:
    if webhook_format == "smartlead" and name == DISCONNECTED:
        return smartlead_disconnect_body(data)
    return standard_body(name, timestamp, data)
