"""Warm-up's records in the warm-up table: one item a message (planned, sent, found), a day's
statistics per inbox, and the keys of both. The table's schedule (`due-by-time`: planned sends and
mailbox checks by time, in shards) and each recipient's expected arrivals (`arrivals`) are sparse
indexes over these items (store/warmup_messages.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, NamedTuple

from sender_accounts.store.dynamo import serialize
from sender_accounts.store.records import Record

DAY_STATISTICS = (
    "sent", "landed_inbox", "landed_spam", "missing", "received", "saved_from_spam",
    "replied", "bounced",
)  # fmt: skip


class SendStatus(StrEnum):
    PLANNED = "planned"
    SENDING = "sending"  # claimed by a send; its arrival is expected from here on
    SENT = "sent"
    DROPPED = "dropped"  # a member left, the day ended or the daily limit was reached
    BOUNCED = "bounced"


class Placement(StrEnum):
    INBOX = "inbox"
    SPAM = "spam"
    MISSING = "missing"


class WarmupMessage(Record):
    """One warm-up email or reply, from its plan to where it was found. Its `message_id` is
    chosen when it is planned, before it is sent: the receiving side looks for exactly that."""

    send_id: str
    kind: Literal["warmup", "reply"]
    status: SendStatus
    sender_workspace_id: str
    sender_id: str
    sender_email: str
    sender_day: int
    recipient_workspace_id: str
    recipient_id: str
    recipient_email: str
    message_id: str
    subject: str
    body: str
    in_reply_to: str | None = None
    send_at: str
    not_after: str
    sent_at: str | None = None
    placement: Placement | None = None
    rescued: bool = False
    drop_reason: str | None = None


class Party(NamedTuple):
    """One end of a warm-up message."""

    workspace_id: str
    inbox_id: str
    email_address: str


def planned_message(
    send_id: str,
    kind: Literal["warmup", "reply"],
    ends: tuple[Party, Party],
    sender_day: int,
    text: tuple[str, str],
    window: tuple[str, str],
    in_reply_to: str | None = None,
) -> WarmupMessage:
    """A message as planned: from `ends[0]` to `ends[1]`, (subject, body), due at `window[0]`
    and dropped after `window[1]`; its Message-ID on the sender's domain, chosen now."""
    sender, recipient = ends
    domain = sender.email_address.rsplit("@", 1)[-1].lower()
    return WarmupMessage(
        send_id=send_id,
        kind=kind,
        status=SendStatus.PLANNED,
        sender_workspace_id=sender.workspace_id,
        sender_id=sender.inbox_id,
        sender_email=sender.email_address,
        sender_day=sender_day,
        recipient_workspace_id=recipient.workspace_id,
        recipient_id=recipient.inbox_id,
        recipient_email=recipient.email_address,
        message_id=f"<{send_id}@{domain}>",
        subject=text[0],
        body=text[1],
        in_reply_to=in_reply_to,
        send_at=window[0],
        not_after=window[1],
    )


class DayStatistics(Record):
    """One warm-up day of one inbox (`day` counts from its warm-up's start, `date` is when that
    day began): what it sent and where that landed, what it received and rescued, its replies."""

    day: int
    date: str
    sent: int = 0
    landed_inbox: int = 0
    landed_spam: int = 0
    missing: int = 0
    received: int = 0
    saved_from_spam: int = 0
    replied: int = 0
    bounced: int = 0


def message_key(send_id: str) -> dict[str, str]:
    return {"pk": f"MSG#{send_id}", "sk": "MSG"}


def statistics_key(inbox_id: str, day: int) -> dict[str, str]:
    return {"pk": f"STATS#{inbox_id}", "sk": f"DAY#{day:05d}"}


def plan_key(inbox_id: str, day: int) -> dict[str, str]:
    return {"pk": f"PLAN#{inbox_id}", "sk": f"DAY#{day:05d}"}


def inbound_key(inbox_id: str, day: int) -> dict[str, str]:
    return {"pk": f"INBOUND#{inbox_id}", "sk": f"DAY#{day:05d}"}


def received_count_key(inbox_id: str) -> dict[str, str]:
    return {"pk": f"RECEIVED#{inbox_id}", "sk": "COUNT"}


def check_key(workspace_id: str, inbox_id: str, at: str) -> dict[str, str]:
    return {"pk": f"CHECK#{workspace_id}#{inbox_id}", "sk": at}


@dataclass(frozen=True)
class DayCount:
    """Statistics to add to one inbox's day when a step happens."""

    inbox_id: str
    day: int
    date: str
    counts: dict[str, int]

    def update(self, table: str, expires_at: int) -> dict[str, Any]:
        names = {f"#c{i}": name for i, name in enumerate(self.counts)}
        adds = ", ".join(f"#c{i} :c{i}" for i in range(len(self.counts)))
        values = {f":c{i}": n for i, n in enumerate(self.counts.values())}
        return {
            "Update": {
                "TableName": table,
                "Key": serialize(statistics_key(self.inbox_id, self.day)),
                "UpdateExpression": f"SET #day = :day, #date = if_not_exists(#date, :date),"
                f" expires_at = :exp ADD {adds}",
                "ExpressionAttributeNames": {**names, "#day": "day", "#date": "date"},
                "ExpressionAttributeValues": serialize(
                    {**values, ":day": self.day, ":date": self.date, ":exp": expires_at}
                ),
            }
        }
