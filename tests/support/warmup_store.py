"""What a warm-up test reads besides the API: the mail store as Dovecot keeps it (Maildir files,
their folder and flags) and the warm-up table's messages, read as the administrator."""

from __future__ import annotations

import email
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
