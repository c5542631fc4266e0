"""Who an inbox's warm-up emails go to: members of its pool only, never itself.

A member of the `network` pool warms with the network members of every workspace; a member of
the `workspace` pool only with its own workspace's members. Recipients are chosen one at a time,
preferring, in this order: one not yet paired with the sender today (a pair repeats only when
no unused recipient remains), another domain, another provider, the fewest received today, then
chance. A recipient receives at most `receive_cap` a day (its own target plus a margin).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Pool = Literal["network", "workspace"]


@dataclass(frozen=True)
class Member:
    inbox_id: str
    workspace_id: str
    domain: str
    provider: str
    pool: Pool
    receive_cap: int


def may_pair(sender: Member, recipient: Member) -> bool:
    if recipient.inbox_id == sender.inbox_id:
        return False
    if recipient.workspace_id == sender.workspace_id:
        return True
    return sender.pool == "network" and recipient.pool == "network"


def choose_recipients(
    sender: Member,
    count: int,
    members: Sequence[Member],
    received_today: Mapping[str, int],
    paired_today: set[str],
    rng: random.Random,
) -> list[Member]:
    """Up to `count` recipients for `sender`'s next sends; fewer when the pool's capacity for
    today is used up. `paired_today`: the recipients `sender` already sent to today."""
    received = dict(received_today)
    paired = set(paired_today)
    eligible = [m for m in members if may_pair(sender, m)]
    chosen: list[Member] = []
    for _ in range(count):
        open_ = [m for m in eligible if received.get(m.inbox_id, 0) < m.receive_cap]
        if not open_:
            break
        best = min(
            open_,
            key=lambda m: (
                m.inbox_id in paired,
                m.domain == sender.domain,
                m.provider == sender.provider,
                received.get(m.inbox_id, 0),
                rng.random(),
            ),
        )
        chosen.append(best)
        paired.add(best.inbox_id)
        received[best.inbox_id] = received.get(best.inbox_id, 0) + 1
    return chosen
