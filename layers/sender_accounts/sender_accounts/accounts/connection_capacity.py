"""How many mail connections the product opens, bounded where providers count them.

Three bounds, each across every running function:
- per server address and port, for checks (MAX_CONNECTIONS_PER_MAIL_HOST, 10 by default);
- per server address and port, for validations: create, PATCH, test emails, bulk rows, OAuth2
  connections (MAX_VALIDATION_CONNECTIONS_PER_ADDRESS, 200: a bulk job of 100 rows on one
  provider runs at full speed);
- per workspace and minute, every mail connection it causes
  (MAIL_CONNECTIONS_PER_WORKSPACE_PER_MINUTE, 1,200), so that no workspace can make the
  deployment a login flooder against a provider and get its addresses banned for everyone.

Slots are keyed by the address a host name resolves to under the outbound rule, never by the
name, and by the port: any number of spellings or DNS names of one server share its slots,
while its SMTP and IMAP services are counted apart, as each service limits its own concurrent
sessions. A name that does not resolve, or resolves where the rule refuses, is never
connected to, so it holds nothing.

An API request waits a few seconds for slots, then is refused (429, Retry-After); over its
workspace's minute it is refused at once. Queue work waits longer for slots, and is put back
on its queue for the next minute when the workspace's budget is spent (`CapacityExceeded`
carries when): it waits for capacity, it never fails for want of it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from sender_accounts.config import Settings
from sender_accounts.errors import MailConnectionBudgetSpent, MailHostBusy
from sender_accounts.mail.endpoints import Destination
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.store.host_slots import Holding, HostBusy, HostSlots
from sender_accounts.store.rate_limits import RateLimiter

if TYPE_CHECKING:
    import asyncio

# An API request waits this long for a slot: with the validation's 22 s it stays inside API
# Gateway's 29 s.
REQUEST_SLOT_WAIT_SECONDS = 5.0
# Queue work waits this long for a slot before its message is put back for later.
QUEUE_SLOT_WAIT_SECONDS = 20.0


class Purpose(StrEnum):
    CHECK = "check"
    VALIDATION = "validation"


@dataclass(frozen=True)
class Admission:
    """Who opens the connections, what for, and how long they may wait for a slot."""

    capacity: ConnectionCapacity
    workspace_id: str
    purpose: Purpose
    slot_wait_seconds: float = REQUEST_SLOT_WAIT_SECONDS

    def connections(
        self, destinations: Sequence[Destination], policy: OutboundPolicy, timeout: float
    ) -> AbstractAsyncContextManager[None]:
        return self.capacity.admitted(self, destinations, policy, timeout)


class ConnectionCapacity:
    def __init__(
        self, budget: RateLimiter, check_slots: HostSlots, validation_slots: HostSlots
    ) -> None:
        self._budget = budget
        self._slots = {Purpose.CHECK: check_slots, Purpose.VALIDATION: validation_slots}

    def admission(self, workspace_id: str, purpose: Purpose, queued: bool = False) -> Admission:
        wait = QUEUE_SLOT_WAIT_SECONDS if queued else REQUEST_SLOT_WAIT_SECONDS
        return Admission(self, workspace_id, purpose, wait)

    @asynccontextmanager
    async def admitted(
        self,
        admission: Admission,
        destinations: Sequence[Destination],
        policy: OutboundPolicy,
        timeout: float,
    ) -> AsyncIterator[None]:
        """Hold the slots of every connection to `destinations` (one each), counted against
        the workspace's minute; MailConnectionBudgetSpent or MailHostBusy when over."""
        import asyncio  # on use: the capacity is composed into use cases that may not connect

        hosts = await server_addresses(destinations, policy, timeout)
        if not hosts:
            yield
            return
        decision = await asyncio.to_thread(
            self._budget.hit, admission.workspace_id, None, len(hosts)
        )
        if not decision.allowed:
            raise MailConnectionBudgetSpent(decision.retry_after(time.time()))
        slots = self._slots[admission.purpose]
        holding = await _acquired(slots, list(hosts), admission.slot_wait_seconds, hosts)
        try:
            yield
        finally:
            # Given back from a thread: a cancellation here still lets the release finish.
            await asyncio.to_thread(slots.release, holding)


def bounded_connections(
    capacity: ConnectionCapacity | None,
    workspace_id: str,
    purpose: Purpose,
    destinations: Sequence[Destination],
    settings: Settings,
    queued: bool = False,
) -> AbstractAsyncContextManager[None]:
    """The connections to `destinations` within the bounds; none: unbounded."""
    if capacity is None:
        return nullcontext()
    admission = capacity.admission(workspace_id, purpose, queued)
    return admission.connections(
        destinations, settings.outbound_policy, settings.mail_step_timeout_seconds
    )


async def server_addresses(
    destinations: Sequence[Destination], policy: OutboundPolicy, timeout: float
) -> dict[str, str]:
    """`address:port` -> the host name it was reached by, one entry per connection (a service
    used twice appears twice: `key@1` keeps the second apart)."""
    from sender_accounts.mail.failures import ProbeFailure
    from sender_accounts.mail.outbound import resolve_allowed

    found: dict[str, str] = {}
    for destination in destinations:
        try:
            targets = await resolve_allowed(destination.host, destination.port, policy, timeout)
        except ProbeFailure:
            continue  # never connected to: the validation reports why
        address = str(targets[0][1][0])
        service = (
            f"[{address}]:{destination.port}" if ":" in address else f"{address}:{destination.port}"
        )
        key = service if service not in found else f"{service}@{len(found)}"
        found[key] = destination.host
    return found


async def _acquired(
    slots: HostSlots, keys: list[str], wait: float, names: dict[str, str]
) -> Holding:
    import asyncio

    # The same address twice is two slots on it: strip the tag that kept the keys apart.
    addresses = [key.split("@", 1)[0] for key in keys]
    task = asyncio.ensure_future(asyncio.to_thread(slots.acquire, addresses, wait))
    try:
        return await asyncio.shield(task)
    except HostBusy as busy:
        name = next((n for k, n in names.items() if k.split("@", 1)[0] == busy.address), "")
        raise MailHostBusy(name or busy.address) from None
    except asyncio.CancelledError:
        # Cancelled while the slots were being taken: they are given back once taken.
        def give_back(done: asyncio.Future[Holding]) -> None:
            if not done.cancelled() and done.exception() is None:
                slots.release(done.result())

        task.add_done_callback(give_back)
        raise
