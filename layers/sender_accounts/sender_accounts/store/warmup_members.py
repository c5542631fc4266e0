"""Warm-up's pool, found without reading the table: every inbox with warm-up enabled whose
status is ACTIVE (and not paused for safety) carries `warmup_shard` (`WM#0`..`WM#7` from a hash
of its id), `warmup_plan_at` (when its next warm-up day is to be planned) and `warmup_member`
(what pairing needs of it), so the `warmup-members` index lists the pool by shard and the
members due for planning first. An inbox that leaves loses the three attributes in the same
write that makes it leave; one that joins starts a warm-up (day 1 begins now). Inboxes stored
with warm-up enabled before the index existed join through `adopt_stored`, once."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.common.statuses import InboxStatus, WarmupStatus
from sender_accounts.common.warmup_words import warmup_key
from sender_accounts.store.dynamo import Dynamo, each_shard, serialize, set_fields
from sender_accounts.store.keys import INBOX_PREFIX, inbox_key, reputation_key, workspace_key
from sender_accounts.store.records import InboxRecord

WARMUP_INDEX = "warmup-members"
WARMUP_SHARDS = 8
MEMBER_ATTRIBUTES = ("warmup_shard", "warmup_plan_at", "warmup_member")


def warmup_shard(inbox_id: str) -> str:
    digest = hashlib.sha256(inbox_id.encode()).hexdigest()
    return f"WM#{int(digest[:8], 16) % WARMUP_SHARDS}"


def shards() -> list[str]:
    return [f"WM#{n}" for n in range(WARMUP_SHARDS)]


def is_member(inbox: InboxRecord) -> bool:
    warmup = inbox.settings.get("warmup") or {}
    return (
        bool(warmup.get("enabled"))
        and inbox.overall_status == InboxStatus.ACTIVE
        and inbox.warmup_state != WarmupStatus.PAUSED_BY_SAFETY
    )


def safety_pause(settings: dict[str, Any], reason: str) -> dict[str, Any]:
    """What pausing an inbox's warm-up for safety writes: warm-up off (the user turns it on
    again), the pause and its reason."""
    warmup = dict(settings.get("warmup") or {})
    return {
        "settings": {**settings, "warmup": {**warmup, "enabled": False}},
        "warmup_state": WarmupStatus.PAUSED_BY_SAFETY,
        "warmup_pause_reason": reason,
    }


def to_millis(stamp: str) -> str:
    """A timestamp in warm-up's one sortable form (`...:05.000Z`, not `...:05Z`, which sorts
    after every moment of its own second)."""
    return stamp if "." in stamp else stamp.replace("Z", ".000Z")


def warmup_status(inbox: InboxRecord) -> WarmupStatus:
    if inbox.warmup_state == WarmupStatus.PAUSED_BY_SAFETY:
        return WarmupStatus.PAUSED_BY_SAFETY
    if not is_member(inbox):
        return WarmupStatus.INACTIVE
    if inbox.warmup_state == WarmupStatus.SPAM_FOLDER_UNKNOWN:
        return WarmupStatus.SPAM_FOLDER_UNKNOWN
    return WarmupStatus.ACTIVE


def member_view(workspace_id: str, inbox: InboxRecord, started_at: str, key: str) -> dict[str, Any]:
    """What the planner needs of a member, copied into the index."""
    warmup = inbox.settings.get("warmup") or {}
    return {
        "workspace_id": workspace_id,
        "inbox_id": inbox.inbox_id,
        "email_address": inbox.email_address,
        "provider": str(inbox.inbox_type),
        "started_at": started_at,
        "key": key,
        "warmup": {k: v for k, v in warmup.items() if v is not None},
    }


def member_attributes(
    workspace_id: str, before: InboxRecord | None, after: InboxRecord, now: str
) -> dict[str, Any]:
    """The warm-up attributes a write of `after` (over `before`) sets or removes."""
    was = before is not None and is_member(before)
    if not is_member(after):
        return dict.fromkeys(MEMBER_ATTRIBUTES) if was else {}
    started = after.warmup_started_at if was and after.warmup_started_at else to_millis(now)
    key = after.warmup_key_id or warmup_key()
    attributes: dict[str, Any] = {
        "warmup_shard": warmup_shard(after.inbox_id),
        "warmup_member": member_view(workspace_id, after, started, key),
    }
    if not was:
        attributes |= {"warmup_started_at": started, "warmup_plan_at": started}
    if not after.warmup_key_id:
        attributes["warmup_key_id"] = key
    return attributes


@dataclass(frozen=True)
class PoolMember:
    workspace_id: str
    inbox_id: str
    email_address: str
    provider: str
    started_at: str
    key: str
    warmup: dict[str, Any]
    plan_at: str

    @property
    def domain(self) -> str:
        return self.email_address.rsplit("@", 1)[-1].lower()


def _member(item: dict[str, Any]) -> PoolMember:
    view = item["warmup_member"]
    return PoolMember(
        workspace_id=view["workspace_id"],
        inbox_id=view["inbox_id"],
        email_address=view["email_address"],
        provider=view["provider"],
        started_at=view["started_at"],
        key=view.get("key") or "",
        warmup=dict(view.get("warmup") or {}),
        plan_at=item["warmup_plan_at"],
    )


class WarmupMembers:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table

    def _query(self, shard: str, before: str | None) -> Iterator[PoolMember]:
        condition = "warmup_shard = :shard"
        values: dict[str, Any] = {":shard": shard}
        if before is not None:
            condition += " AND warmup_plan_at <= :before"
            values[":before"] = before
        request = {
            "TableName": self._table,
            "IndexName": WARMUP_INDEX,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": serialize(values),
        }
        for item in self._db.query_all(**request):
            if "warmup_member" in item:
                yield _member(item)

    def pool(self) -> list[PoolMember]:
        """Every member of every workspace (the planner pairs within the pools)."""
        return [m for found in each_shard(lambda s: self._query(s, None), shards()) for m in found]

    def due(self, now: str) -> list[PoolMember]:
        """The members whose next warm-up day is due for planning at `now`."""
        return [m for found in each_shard(lambda s: self._query(s, now), shards()) for m in found]

    def claim(self, member: PoolMember, until: str) -> bool:
        """Move the member's next planning to `until` if nobody moved it since it was read
        (and it is still a member)."""
        try:
            self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(inbox_key(member.workspace_id, member.inbox_id)),
                UpdateExpression="SET warmup_plan_at = :until",
                ConditionExpression="warmup_plan_at = :seen",
                ExpressionAttributeValues=serialize({":until": until, ":seen": member.plan_at}),
            )
        except ClientError:
            return False
        return True

    def set_reputation(self, member: PoolMember, reputation: float | None) -> None:
        """The member's warm-up reputation, kept on its inbox for health, and in its list
        entry and the warm-up list index's sort key (list_index.py) for lists."""
        expression = "SET ls_wrep = :k, #sm.warmup_reputation = :r"
        expression += (
            " REMOVE warmup_reputation" if reputation is None else ", warmup_reputation = :r"
        )
        values = {":k": f"{reputation_key(reputation)}#{member.inbox_id}", ":r": reputation}
        try:
            self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(inbox_key(member.workspace_id, member.inbox_id)),
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(pk) AND attribute_exists(#sm)",
                ExpressionAttributeNames={"#sm": "summary"},
                ExpressionAttributeValues=serialize(values),
            )
        except ClientError:  # deleted meanwhile
            return

    def adopt_stored(self, now: str) -> int:
        """Give the member attributes to inboxes stored with warm-up enabled before the index
        existed (a scan, run once per deployment by the planner); how many joined."""
        joined = 0
        request = {
            "TableName": self._table,
            "FilterExpression": "begins_with(sk, :inbox) AND attribute_not_exists(warmup_shard)",
            "ExpressionAttributeValues": serialize({":inbox": INBOX_PREFIX}),
        }
        for item in self._db.scan_all(**request):
            workspace_id = item["pk"].removeprefix(workspace_key(""))
            inbox = InboxRecord.model_validate(item)
            attributes = member_attributes(workspace_id, None, inbox, now)
            if not attributes:
                continue
            written = set_fields(attributes)
            written["ExpressionAttributeValues"] = serialize(written["ExpressionAttributeValues"])
            try:
                self._db.call(
                    "update_item",
                    TableName=self._table,
                    Key=serialize(inbox_key(workspace_id, inbox.inbox_id)),
                    ConditionExpression="attribute_exists(pk) AND attribute_not_exists(#f0)",
                    **written,
                )
                joined += 1
            except ClientError:  # changed meanwhile: that write set the attributes itself
                continue
        return joined
