"""What a warm-up test reads besides the API: the mail store as Dovecot keeps it (Maildir files,
their folder and flags) and the warm-up table's messages, read as the administrator."""

from __future__ import annotations

import email
import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email.policy import default
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class StoredMail:
    owner: str
    folder: str  # "INBOX" or the folder's name
    flags: str
    sender: str
    message_id: str
    in_reply_to: str | None
    body: str


def stored_mail(root: Path) -> list[StoredMail]:
    """Every message in every mailbox of a Maildir tree (`<root>/mail/<user>/...`)."""
    found = []
    for path in sorted((root / "mail").glob("*/**/*,S=*")):
        relative = path.relative_to(root / "mail").parts
        owner, folder = relative[0], (relative[1][1:] if len(relative) == 4 else "INBOX")
        parsed = email.message_from_bytes(path.read_bytes(), policy=default)
        flags = path.name.rsplit(":2,", 1)[1] if ":2," in path.name else ""
        body = parsed.get_body(("plain",))
        found.append(
            StoredMail(
                owner=owner,
                folder=folder,
                flags=flags,
                sender=str(parsed["From"].addresses[0].addr_spec),
                message_id=str(parsed["Message-ID"]),
                in_reply_to=str(parsed["In-Reply-To"]) if parsed["In-Reply-To"] else None,
                body=body.get_content() if body else "",
            )
        )
    return found


def warmup_items(dynamodb: Any, table: str, prefix: str) -> list[dict[str, Any]]:
    from boto3.dynamodb.types import TypeDeserializer

    items: list[dict[str, Any]] = []
    request: dict[str, Any] = {"TableName": table}
    while True:
        page = dynamodb.scan(**request)
        items += [
            {k: TypeDeserializer().deserialize(v) for k, v in i.items()}
            for i in page["Items"]
            if i["pk"]["S"].startswith(prefix)
        ]
        if "LastEvaluatedKey" not in page:
            return items
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def member_account(
    server: Any, address: str, password: str, reply_rate: int, **ramp: int
) -> dict[str, Any]:
    """A create request for a mailbox of `server` with warm-up on, in its workspace's pool."""
    warmup = {"enabled": True, "pool": "workspace", "reply_rate_percentage": reply_rate, **ramp}
    return {
        "email_address": address,
        "display_name": address.split("@")[0].title(),
        "inbox_type": "CUSTOM_SMTP",
        "daily_limit": 50,
        "smtp_host": "localhost",
        "smtp_port": server.submission_starttls_port,
        "smtp_username": address,
        "smtp_password": password,
        "smtp_use_tls": True,
        "imap_host": "localhost",
        "imap_port": server.imaps_port,
        "imap_username": address,
        "imap_password": password,
        "imap_use_ssl": True,
        "warmup": warmup,
    }


def invoke_function(logical_id: str, event: dict[str, Any]) -> Any:
    from local_stack.functions import invoke
    from local_stack.template import StackTemplate, load_template

    return invoke(StackTemplate(load_template()), logical_id, event)


def run_planner_until(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        invoke_function("WarmupPlannerFunction", {"detail": {}})
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError("warm-up did not get there in time")


def table_items(prefix: str) -> list[dict[str, Any]]:
    import boto3

    return warmup_items(boto3.client("dynamodb"), os.environ["WARMUP_TABLE_NAME"], prefix)


def settled(workspace_id: str) -> bool:
    """Every message of the workspace's members sent or being sent has been placed; nothing is
    waiting to be sent (other tests' members are not this test's to wait for)."""
    messages = [m for m in table_items("MSG#") if m["sender_workspace_id"] == workspace_id]
    waiting = [m for m in messages if m["status"] in ("planned", "sending")]
    unplaced = [m for m in messages if m["status"] == "sent" and "placement" not in m]
    return not waiting and not unplaced


def queue_event(body: dict[str, Any]) -> dict[str, Any]:
    """An SQS event carrying one message, as Lambda's poller delivers it."""
    text = json.dumps(body)
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "local",
                "body": text,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(text.encode()).hexdigest(),  # noqa: S324 - SQS's own checksum
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
                "awsRegion": "us-east-1",
            }
        ]
    }


def require_delivery() -> None:
    """Dovecot's LMTP and Sieve (make test installs them on Debian)."""
    import shutil

    import pytest

    if Path("/usr/lib/dovecot/lmtp").exists() and shutil.which("sievec"):
        return
    message = "Dovecot's LMTP and Sieve are not installed (dovecot-lmtpd, dovecot-sieve)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
