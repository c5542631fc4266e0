"""At most N connections to one mail service (address and port) at once, across every running
function.

Slots are keyed by the address a host name resolves to, never by the name: `localhost`,
`127.0.0.1` and any number of DNS names for one server share its N slots. Each bound has its
own kind (checks and warm-up share one, validations have their own, larger one).

An address has N slot items in the request-control table (`<kind>#<address>#<k>`); a connection
holds one by a conditional put that succeeds only on a free slot or an expired lease, and
gives it back by a delete conditioned on its own lease id (work that needs several, a check's
SMTP and IMAP, takes and gives back all of them in one transaction). A function that dies holding a
slot loses it when the lease runs out (longer than any validation may take), so a crash
never locks a host for good.

A process also keeps its own gate per host, so its waiting is in memory rather than in
DynamoDB requests: the table is asked only when the process itself has room on the host.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.store.dynamo import Dynamo, cancellation_reasons, serialize

LEASE_SECONDS = 90


class HostBusy(Exception):
    """No slot on an address came free in time; the work is retried later."""

    def __init__(self, address: str) -> None:
        super().__init__(f"Every connection slot of {address} is in use")
        self.address = address


@dataclass(frozen=True)
class Holding:
    """The slots one piece of work holds; given back with `HostSlots.release`."""

    needs: Counter[str]
    leases: tuple[tuple[str, str], ...]


class _Gate:
    """This process's own count of connections per host, waited on in memory."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._held: Counter[str] = Counter()
        self._changed = threading.Condition()

    def enter(self, needs: Counter[str], deadline: float) -> bool:
        with self._changed:
            while any(self._held[h] + n > self._limit for h, n in needs.items()):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 1.0))
            self._held.update(needs)
            return True

    def leave(self, needs: Counter[str]) -> None:
        with self._changed:
            self._held.subtract(needs)
            self._changed.notify_all()


class HostSlots:
    def __init__(self, dynamodb: Any, table: str, per_host: int, kind: str = "hostslot") -> None:
        self._db = Dynamo(dynamodb)
        self._table = table
        self._per_host = per_host
        self._kind = kind
        self._gate = _Gate(per_host)

    @contextmanager
    def holding(self, addresses: list[str], wait_seconds: float) -> Iterator[None]:
        """Hold one slot per connection (an address used twice needs two), all or none."""
        held = self.acquire(addresses, wait_seconds)
        try:
            yield
        finally:
            self.release(held)

    def acquire(self, addresses: list[str], wait_seconds: float) -> Holding:
        """The slots, waited for up to `wait_seconds`; HostBusy when they did not come free."""
        needs = Counter(address.lower().rstrip(".") for address in addresses)
        if not needs:
            return Holding(needs, ())
        deadline = time.monotonic() + wait_seconds
        if not self._gate.enter(needs, deadline):
            raise HostBusy(next(iter(needs)))
        try:
            delay = 0.05
            while True:
                held = self._acquire_all(needs)
                if held:
                    return Holding(needs, tuple(held))
                if time.monotonic() + delay > deadline:
                    raise HostBusy(next(iter(needs)))
                time.sleep(delay * random.uniform(0.5, 1.5))  # noqa: S311 - jitter
                delay = min(delay * 2, 1.0)
        except BaseException:
            self._gate.leave(needs)
            raise

    def release(self, holding: Holding) -> None:
        given_back = False
        if len(holding.leases) > 1:  # one round trip for all of them
            deletes = [{"Delete": self._give(slot_id, lease)} for slot_id, lease in holding.leases]
            with contextlib.suppress(ClientError):  # a lease ran out: each on its own, below
                self._db.transact(deletes)
                given_back = True
        if not given_back:
            for slot_id, lease in holding.leases:
                self._release(slot_id, lease)
        if holding.needs:
            self._gate.leave(holding.needs)

    def _acquire_all(self, needs: Counter[str]) -> list[tuple[str, str]]:
        """One slot per connection, all or none. Several are taken in one transaction (a
        check's SMTP and IMAP slots: one round trip, not two); slots found taken are left for
        others of the host, until the host has none free to try."""
        if sum(needs.values()) == 1:
            slot = self._acquire(next(iter(needs)))
            return [slot] if slot else []
        lease, busy = uuid.uuid4().hex, set[str]()
        picks: list[str] = []
        for _attempt in range(16):  # as many tries as a single slot gets
            picks = self._picks(needs, picks, busy)
            if not picks:
                return []
            now = int(time.time())
            try:
                self._db.transact([{"Put": self._take(slot_id, lease, now)} for slot_id in picks])
            except ClientError as refused:
                reasons = cancellation_reasons(refused)
                busy.update(p for p, r in zip(picks, reasons, strict=False) if r != "None")
                continue
            return [(slot_id, lease) for slot_id in picks]
        return []

    def _picks(self, needs: Counter[str], kept: list[str], busy: set[str]) -> list[str]:
        """The slots to try: those of `kept` not found busy, and random others not known busy;
        none when a host has too few left."""
        picks = [slot_id for slot_id in kept if slot_id not in busy]
        for host, count in needs.items():
            prefix = f"{self._kind}#{host}#"
            mine = [slot_id for slot_id in picks if slot_id.startswith(prefix)]
            tried = {slot_id for slot_id in busy if slot_id.startswith(prefix)} | set(mine)
            if self._per_host - len(tried) < count - len(mine):
                return []
            while len(mine) < count:
                slot_id = f"{prefix}{random.randrange(self._per_host)}"  # noqa: S311
                if slot_id not in tried:
                    tried.add(slot_id)
                    mine.append(slot_id)
                    picks.append(slot_id)
        return picks

    def _take(self, slot_id: str, lease: str, now: int) -> dict[str, Any]:
        return {
            "TableName": self._table,
            "Item": serialize(
                {
                    "id": slot_id,
                    "lease": lease,
                    "lease_until": now + LEASE_SECONDS,
                    "expiration": now + 2 * LEASE_SECONDS,
                }
            ),
            "ConditionExpression": "attribute_not_exists(id) OR lease_until < :now",
            "ExpressionAttributeValues": serialize({":now": now}),
        }

    def _acquire(self, host: str) -> tuple[str, str] | None:
        now = int(time.time())
        lease = uuid.uuid4().hex
        # A few slots tried in random order: all of them under a small bound, a sample of a
        # large one (where a free slot is found at once anyway).
        tried = random.sample(range(self._per_host), min(self._per_host, 16))
        for slot_id in (f"{self._kind}#{host}#{k}" for k in tried):
            try:
                self._db.call("put_item", **self._take(slot_id, lease, now))
            except ClientError:
                continue
            return slot_id, lease
        return None

    def _give(self, slot_id: str, lease: str) -> dict[str, Any]:
        return {
            "TableName": self._table,
            "Key": serialize({"id": slot_id}),
            "ConditionExpression": "lease = :lease",
            "ExpressionAttributeValues": serialize({":lease": lease}),
        }

    def _release(self, slot_id: str, lease: str) -> None:
        # A condition failure: the lease ran out and another holder took the slot.
        with contextlib.suppress(ClientError):
            self._db.call("delete_item", **self._give(slot_id, lease))
