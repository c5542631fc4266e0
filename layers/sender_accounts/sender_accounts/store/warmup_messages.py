"""Warm-up's messages in the warm-up table, each step a conditional write on the message, so a
redelivered send, placement or reply does nothing the second time, and a day's statistics move
in the same transaction as the step they count.

Due work is found through `due-by-time` (keys only; `due_shard` = `WD#00`..`WD#15` and `due_at`):
a planned message is due at its send time, a recipient's check slot (`CHECK#…`) when its mailbox
is to be looked at. A recipient's expected messages are in `arrivals` (`arrival_pk` = `IN#<id>`,
`arrival_at` the time to look): a check handles every arrival due in one IMAP session. A
sender's own messages not found yet are in `outgoing` (`OUT#<id>`): its checks look for DSNs
naming them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.store.dynamo import Dynamo, deserialize, put, serialize
from sender_accounts.store.warmup_records import (
    DayCount,
    DayStatistics,
    Placement,
    SendStatus,
    WarmupMessage,
    inbound_key,
    message_key,
    plan_key,
    received_count_key,
)
from sender_accounts.store.warmup_schedule import due_shard

ARRIVALS_INDEX = "arrivals"
OUTGOING_INDEX = "outgoing"
KEEP_SECONDS = 45 * 86400  # messages and statistics outlive the 30 days GET shows


class WarmupMessages:
    def __init__(self, dynamodb: Any, table: str, now_epoch: Any) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table
        self._epoch = now_epoch  # seconds since the epoch, for expiry

    def _expires(self) -> int:
        return int(self._epoch()) + KEEP_SECONDS

    # Planning

    def plan_day(self, inbox_id: str, day: int, messages: Sequence[WarmupMessage]) -> bool:
        """A member's day, planned once: its marker and its messages in one transaction
        (False: that day was planned already)."""
        expires = self._expires()
        items = [
            put(
                self._table,
                {**plan_key(inbox_id, day), "expires_at": expires},
                "attribute_not_exists(pk)",
            )
        ]
        items += [self._planned(message, expires) for message in messages]
        try:
            self._db.transact(items)
        except ClientError:
            return False
        return True

    def add_reply(self, reply: WarmupMessage) -> bool:
        try:
            self._db.transact([self._planned(reply, self._expires())])
        except ClientError:  # planned before (a redelivered placement)
            return False
        return True

    def _planned(self, message: WarmupMessage, expires: int) -> dict[str, Any]:
        item = {
            **message_key(message.send_id),
            **message.item(),
            "expires_at": expires,
            "due_shard": due_shard(message.send_id),
            "due_at": message.send_at,
        }
        return put(self._table, item, "attribute_not_exists(pk)")

    def inbound(self, days: dict[str, int]) -> dict[str, int]:
        """Warm-up emails planned to each recipient on its current day (`days`: id → day)."""
        keys = [inbound_key(inbox_id, day) for inbox_id, day in days.items()]
        found = self._db.batch_get(self._table, keys, ("pk", "sk", "planned"))
        counted = {(i["pk"].removeprefix("INBOUND#"), i["sk"]): int(i["planned"]) for i in found}
        return {k: counted.get((k, f"DAY#{d:05d}"), 0) for k, d in days.items()}

    def add_inbound(self, inbox_id: str, day: int, count: int) -> None:
        self._db.call(
            "update_item",
            TableName=self._table,
            Key=serialize(inbound_key(inbox_id, day)),
            UpdateExpression="ADD planned :n SET expires_at = :exp",
            ExpressionAttributeValues=serialize({":n": count, ":exp": self._expires()}),
        )

    # Sending

    def get(self, send_id: str) -> WarmupMessage | None:
        response = self._db.call(
            "get_item",
            TableName=self._table,
            Key=serialize(message_key(send_id)),
            ConsistentRead=True,
        )
        item = response.get("Item")
        return WarmupMessage.model_validate(deserialize(item)) if item else None

    def _step(
        self,
        send_id: str,
        expression: str,
        condition: str,
        values: dict[str, Any],
        counts: Sequence[DayCount] = (),
    ) -> bool:
        update = {
            "Update": {
                "TableName": self._table,
                "Key": serialize(message_key(send_id)),
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {"#st": "status"},
                "ExpressionAttributeValues": serialize(values),
            }
        }
        expires = self._expires()
        try:
            self._db.transact([update, *(c.update(self._table, expires) for c in counts)])
        except ClientError:
            return False
        return True

    def begin_send(self, message: WarmupMessage, look_at: str) -> bool:
        """Claim the send; from here its arrival is expected at the recipient."""
        return self._step(
            message.send_id,
            "SET #st = :sending, arrival_pk = :in, arrival_at = :at, outgoing_pk = :out,"
            " outgoing_at = :at REMOVE due_shard, due_at",
            "#st = :planned",
            {
                ":sending": SendStatus.SENDING,
                ":planned": SendStatus.PLANNED,
                ":out": f"OUT#{message.sender_id}",
                ":in": f"IN#{message.recipient_id}",
                ":at": look_at,
            },
        )

    def sent(self, message: WarmupMessage, sent_at: str, count: DayCount) -> bool:
        return self._step(
            message.send_id,
            "SET #st = :sent, sent_at = :at",
            "#st = :sending",
            {":sent": SendStatus.SENT, ":sending": SendStatus.SENDING, ":at": sent_at},
            [count],
        )

    def unsent(self, message: WarmupMessage) -> bool:
        """A send that failed for a passing reason goes back to planned, for a retry."""
        return self._step(
            message.send_id,
            "SET #st = :planned REMOVE arrival_pk, arrival_at, outgoing_pk, outgoing_at",
            "#st = :sending",
            {":planned": SendStatus.PLANNED, ":sending": SendStatus.SENDING},
        )

    def drop(self, message: WarmupMessage, reason: str) -> bool:
        return self._step(
            message.send_id,
            "SET #st = :dropped, drop_reason = :why REMOVE due_shard, due_at",
            "#st = :planned",
            {":dropped": SendStatus.DROPPED, ":planned": SendStatus.PLANNED, ":why": reason},
        )

    def bounced(self, message: WarmupMessage, count: DayCount) -> bool:
        return self._step(
            message.send_id,
            "SET #st = :bounced REMOVE arrival_pk, arrival_at, outgoing_pk, outgoing_at, due_shard,"
            " due_at",
            "#st IN (:sending, :sent)",
            {
                ":bounced": SendStatus.BOUNCED,
                ":sending": SendStatus.SENDING,
                ":sent": SendStatus.SENT,
            },
            [count],
        )

    # Receiving

    def arrivals(self, inbox_id: str, now: str) -> list[WarmupMessage]:
        request = {
            "TableName": self._table,
            "IndexName": ARRIVALS_INDEX,
            "KeyConditionExpression": "arrival_pk = :in AND arrival_at <= :now",
            "ExpressionAttributeValues": serialize({":in": f"IN#{inbox_id}", ":now": now}),
        }
        return [WarmupMessage.model_validate(i) for i in self._db.query_all(**request)]

    def awaiting(self, sender_id: str) -> list[WarmupMessage]:
        """The sender's own messages sent and not found yet: a DSN may name them."""
        request = {
            "TableName": self._table,
            "IndexName": OUTGOING_INDEX,
            "KeyConditionExpression": "outgoing_pk = :out",
            "ExpressionAttributeValues": serialize({":out": f"OUT#{sender_id}"}),
        }
        return [WarmupMessage.model_validate(i) for i in self._db.query_all(**request)]

    def place(
        self,
        message: WarmupMessage,
        placement: Placement,
        rescued: bool,
        counts: Sequence[DayCount],
    ) -> bool:
        """Record where the message was found (once) and count it."""
        return self._step(
            message.send_id,
            "SET placement = :where, rescued = :rescued"
            " REMOVE arrival_pk, arrival_at, outgoing_pk, outgoing_at",
            "attribute_not_exists(placement) AND #st IN (:sending, :sent)",
            {
                ":where": placement,
                ":rescued": rescued,
                ":sending": SendStatus.SENDING,
                ":sent": SendStatus.SENT,
            },
            counts,
        )

    def look_again(self, message: WarmupMessage, at: str) -> None:
        with_condition = "attribute_exists(arrival_pk) AND attribute_not_exists(placement)"
        try:
            self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(message_key(message.send_id)),
                UpdateExpression="SET arrival_at = :at",
                ConditionExpression=with_condition,
                ExpressionAttributeValues=serialize({":at": at}),
            )
        except ClientError:
            return

    def count_received(self, inbox_id: str) -> int:
        """One more warm-up message received by the inbox; how many it had received before."""
        response = self._db.call(
            "update_item",
            TableName=self._table,
            Key=serialize(received_count_key(inbox_id)),
            UpdateExpression="ADD received :one",
            ExpressionAttributeValues=serialize({":one": 1}),
            ReturnValues="UPDATED_NEW",
        )
        return int(deserialize(response["Attributes"])["received"]) - 1

    # Statistics

    def days(self, inbox_id: str, last: int) -> list[DayStatistics]:
        request = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": serialize({":pk": f"STATS#{inbox_id}"}),
            "ScanIndexForward": False,
            "Limit": last,
        }
        response = self._db.call("query", **request)
        return [DayStatistics.model_validate(deserialize(i)) for i in response.get("Items", [])]
