"""What create and PATCH do to an inbox's warm-up: a PATCH of `warmup` changes only the fields
it names (`{"warmup": {"enabled": false}}` stops warm-up and keeps the rest); enabling it again
lifts a safety pause; joining or leaving the pool is told (WarmupStarted, WarmupResumed,
WarmupPaused with reason USER)."""

from __future__ import annotations

from typing import Any

from sender_accounts.common.events import (
    LifecycleEvent,
    WarmupPaused,
    WarmupResumed,
    WarmupStarted,
)
from sender_accounts.common.statuses import WarmupStatus
from sender_accounts.store.records import InboxRecord
from sender_accounts.store.warmup_members import is_member


def merged_settings(
    inbox: InboxRecord, given: dict[str, Any], warmup_given: dict[str, Any] | None
) -> dict[str, Any]:
    """The inbox's settings after a PATCH that gave `given` (`warmup_given`: the warm-up
    fields the request named, None when it named no `warmup`)."""
    merged = {**inbox.settings, **given}
    if warmup_given is not None:
        merged["warmup"] = {**(inbox.settings.get("warmup") or {}), **warmup_given}
    return merged


def lifted_pause(inbox: InboxRecord, settings: dict[str, Any]) -> dict[str, Any]:
    """Enabling warm-up again clears a safety pause."""
    enabled = bool((settings.get("warmup") or {}).get("enabled"))
    if enabled and inbox.warmup_state == WarmupStatus.PAUSED_BY_SAFETY:
        return {"warmup_state": None, "warmup_pause_reason": None}
    return {}


def warmup_events(
    workspace_id: str, before: InboxRecord | None, after: InboxRecord
) -> list[LifecycleEvent]:
    base = {
        "workspace_id": workspace_id,
        "inbox_id": after.inbox_id,
        "email_address": after.email_address,
    }
    was, now = before is not None and is_member(before), is_member(after)
    if now and not was:
        paused = before is not None and before.warmup_state == WarmupStatus.PAUSED_BY_SAFETY
        return [WarmupResumed(**base) if paused else WarmupStarted(**base)]
    enabled = bool((after.settings.get("warmup") or {}).get("enabled"))
    if was and not now and not enabled:
        return [WarmupPaused(**base, reason="USER")]
    return []
