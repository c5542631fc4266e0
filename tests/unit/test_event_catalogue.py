"""docs/events.md lists every lifecycle event, and no other, with every field it carries."""

from __future__ import annotations

import re
from pathlib import Path

from sender_accounts.common import events

PAGE = Path(__file__).resolve().parents[2] / "docs" / "events.md"
COMMON = {"workspace_id"}
INBOX = {"workspace_id", "inbox_id", "email_address"}


def _documented() -> dict[str, set[str]]:
    rows = {}
    for line in PAGE.read_text().splitlines():
        match = re.match(r"\| `(\w+)` \|([^|]*)\|", line)
        if match and match.group(1) != "event":
            rows[match.group(1)] = set(re.findall(r"`([a-z_]+)`", match.group(2)))
    return rows


def _published() -> dict[str, set[str]]:
    return {
        name: set(model.model_fields)
        for name, model in vars(events).items()
        if isinstance(model, type)
        and issubclass(model, events.LifecycleEvent)
        and model not in (events.LifecycleEvent, events.SenderAccountEvent)
    }


def test_every_event_and_field_is_documented() -> None:
    documented, published = _documented(), _published()
    assert set(documented) == set(published)
    for name, fields in published.items():
        shared = INBOX if issubclass(getattr(events, name), events.SenderAccountEvent) else COMMON
        assert fields - shared == {f for f in documented[name] if f in fields}, name
        assert not documented[name] & {"workspace_id", "inbox_id", "email_address"}, name
