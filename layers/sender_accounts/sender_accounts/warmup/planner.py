"""The scheduled planner. Each run: (1) plans the day of every member whose warm-up day began
(its sends, spread over the day, each to a recipient of its pool, with the Message-ID it will
carry), one transaction a day so a day is planned once; (2) puts the sends and mailbox checks
that came due on their queues, each claimed first (a lease: what is lost comes due again).

Recipients are chosen among a sample of the pool (pairing.py's preferences within it), so a
run's work grows with the members it plans, not with the pool's size times them."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import chain
from typing import Any

from sender_accounts.adapters.observability import logger, metrics
from sender_accounts.adapters.queue_sending import send_all
from sender_accounts.config import Settings
from sender_accounts.errors import DependencyUnavailable
from sender_accounts.store.dynamo import each_shard
from sender_accounts.store.warmup_members import PoolMember, WarmupMembers
from sender_accounts.store.warmup_messages import WarmupMessages
from sender_accounts.store.warmup_records import Party, WarmupMessage, planned_message
from sender_accounts.store.warmup_schedule import WarmupSchedule, due_shards
from sender_accounts.warmup.corpus import warmup_text
from sender_accounts.warmup.models import PlannerReport, ReceiveMessage, SendMessage
from sender_accounts.warmup.pairing import Member, choose_recipients
from sender_accounts.warmup.pairing import Pool as PoolName
from sender_accounts.warmup.ramp import Ramp, day_start, send_times, warmup_day
from sender_accounts.warmup.statistics import REPUTATION_DAYS, reputation
from sender_accounts.warmup.timing import after, parse, stamp

SAMPLE_PER_SEND = 4  # candidates looked at per send of a member's day
DUE_PER_SHARD = 1000
POOL_REFRESH_SECONDS = 300
ADOPTION = "adopt-stored-members"
BACKFILL = "stored-inbox-backfill"
# Sends are spread over the day's rest less a margin for queueing (a planner tick, the queue):
# ten minutes of a real day, two fifths of a day of seconds.
MARGIN_SECONDS = 600
MARGIN_SHARE = 0.4


def receive_cap(target: int) -> int:
    """What a member receives a day at most: its own target and a small margin."""
    return target + max(2, target // 5)


@dataclass
class Pool:
    """The pool as one run sees it: members, each one's day, and what each receives today."""

    members: list[PoolMember]
    now: datetime
    day_seconds: int
    received: dict[str, int] = field(default_factory=dict)

    def day_of(self, member: PoolMember) -> int:
        return warmup_day(parse(member.started_at), self.now, self.day_seconds)

    @cached_property
    def _network(self) -> list[PoolMember]:
        return [m for m in self.members if not _workspace_pool(m)]

    @cached_property
    def _by_workspace(self) -> dict[str, list[PoolMember]]:
        grouped: dict[str, list[PoolMember]] = {}
        for m in self.members:
            grouped.setdefault(m.workspace_id, []).append(m)
        return grouped

    def candidates(self, member: PoolMember, count: int, rng: random.Random) -> list[PoolMember]:
        """A sample of up to `count` members `member` may send to (pairing.may_pair): its own
        workspace's others, and with `network` the network members of other workspaces. Drawn
        from each list, never filtering the whole pool: its cost follows `count`, and a
        workspace pool is never starved by a large network."""
        own = self._by_workspace.get(member.workspace_id, [])
        lists = [own] if _workspace_pool(member) else [own, self._network]
        drawn: dict[str, PoolMember] = {}
        for members in lists:
            for m in rng.sample(members, min(len(members), count + 1)):
                if m.inbox_id == member.inbox_id:
                    continue
                if members is own or m.workspace_id != member.workspace_id:
                    drawn[m.inbox_id] = m
        found = list(drawn.values())
        return rng.sample(found, min(len(found), count))

    def pairing_member(self, member: PoolMember) -> Member:
        cap = receive_cap(Ramp.from_settings(member.warmup).target(self.day_of(member)))
        pool: PoolName = "workspace" if _workspace_pool(member) else "network"
        return Member(
            member.inbox_id, member.workspace_id, member.domain, member.provider, pool, cap
        )


def _workspace_pool(member: PoolMember) -> bool:
    return member.warmup.get("pool") == "workspace"


class WarmupPlanner:
    def __init__(
        self,
        members: WarmupMembers,
        messages: WarmupMessages,
        schedule: WarmupSchedule,
        sqs: Any,
        queues: tuple[str, str],
        settings: Settings,
        clock: Callable[[], datetime],
        rng: random.Random | None = None,
        backfill: Callable[[], int] | None = None,
    ) -> None:
        """`queues`: the send queue's URL and the receive queue's; `backfill` gives inboxes
        stored before later additions what those give new inboxes (once per deployment)."""
        self._backfill = backfill
        self._members = members
        self._messages = messages
        self._schedule = schedule
        self._sqs = sqs
        self._send_queue, self._receive_queue = queues
        self._settings = settings
        self._clock = clock
        self._rng = rng or random.SystemRandom()
        self._adopted = False
        self._pool_read: tuple[datetime, list[PoolMember], set[str]] | None = None

    def run(self) -> PlannerReport:
        now = self._clock()
        report = PlannerReport()
        if not self._adopted:
            self._adopted = self._one_off_steps(report, now)
        due = self._due(now)
        if due:
            pool = Pool(self._pool_members(now, due), now, self._settings.warmup_day_seconds)
            for member in due:
                report.planned += self._plan(member, pool)
                report.members_planned += 1
        report.sends_queued, report.checks_queued = self._dispatch(now)
        metrics.add_metric(name="WarmupSendsPlanned", unit="Count", value=report.planned)
        logger.info("warm-up planner", extra=report.model_dump())
        return report

    def _one_off_steps(self, report: PlannerReport, now: datetime) -> bool:
        """Once per deployment: adopt inboxes stored with warm-up on, and backfill what later
        additions give new inboxes. A failure (a scan cut short) is logged and tried again on
        the next run; it never keeps this run from planning."""
        try:
            if not self._schedule.done(ADOPTION):
                report.adopted = self._members.adopt_stored(stamp(now))
                self._schedule.mark_done(ADOPTION)
            if self._backfill and not self._schedule.done(BACKFILL):
                report.backfilled = self._backfill()
                self._schedule.mark_done(BACKFILL)
        except DependencyUnavailable as exc:
            logger.warning(
                "one-off step not finished; next run tries again", extra={"error": str(exc)}
            )
            return False
        return True

    def _due(self, now: datetime) -> list[PoolMember]:
        """The members due for planning. A process's first run has no pool yet and reads it,
        taking the due members from that read: every shard is read once, not twice (the due
        query, then the pool). Later runs query the due members alone, so a run with nothing
        due never pays for a pool past its refresh."""
        if self._pool_read is None:
            before = stamp(now)
            return [member for member in self._read_pool(now) if member.plan_at <= before]
        return self._members.due(stamp(now))

    def _fresh_pool(self, now: datetime) -> list[PoolMember] | None:
        refresh = min(POOL_REFRESH_SECONDS, self._settings.warmup_day_seconds / 20)
        if self._pool_read is None or (now - self._pool_read[0]).total_seconds() >= refresh:
            return None
        return self._pool_read[1]

    def _read_pool(self, now: datetime) -> list[PoolMember]:
        members = self._members.pool()
        self._pool_read = (now, members, {member.inbox_id for member in members})
        return members

    def _pool_members(self, now: datetime, due: list[PoolMember]) -> list[PoolMember]:
        """The pool, read again once it is older than a twentieth of a day (at most
        POOL_REFRESH_SECONDS) or when a due member is not in it (one that just joined plans
        its day with the pool as it is now): a run then costs what its due members do, not
        the pool's size. A recipient chosen from a pool read a little earlier that has left
        since is sent nothing (the send worker checks both ends)."""
        members = self._fresh_pool(now)
        if members is not None and self._pool_read is not None:
            ids = self._pool_read[2]
            if all(member.inbox_id in ids for member in due):
                return members
        return self._read_pool(now)

    def _plan(self, member: PoolMember, pool: Pool) -> int:
        day_seconds = pool.day_seconds
        day = pool.day_of(member)
        start = day_start(parse(member.started_at), day, day_seconds)
        end = after(start, day_seconds)
        next_plan = stamp(end)
        target = Ramp.from_settings(member.warmup).target(day)
        self._keep_reputation(member, day)
        sender = pool.pairing_member(member)
        sample = pool.candidates(member, SAMPLE_PER_SEND * target + 8, self._rng)
        unseen = {m.inbox_id: pool.day_of(m) for m in sample if m.inbox_id not in pool.received}
        pool.received.update(self._messages.inbound(unseen) if unseen else {})
        by_id = {m.inbox_id: m for m in sample}
        chosen = choose_recipients(
            sender,
            target,
            [pool.pairing_member(m) for m in sample],
            pool.received,
            set(),
            self._rng,
        )
        # What is left of the day (a member planned late sends in the rest of it), less a
        # margin, so a send queued a little late still goes out within its day.
        begin = max(start, pool.now)
        rest = (end - begin).total_seconds()
        spread = max(1, int(rest - min(rest * MARGIN_SHARE, MARGIN_SECONDS)))
        times = send_times(begin, spread, len(chosen), self._rng)
        key = member.key
        messages = [
            self._message(member, by_id[r.inbox_id], day, stamp(at), next_plan, key)
            for r, at in zip(chosen, times, strict=True)
        ]
        planned = self._messages.plan_day(member.inbox_id, day, messages)
        if planned:
            for recipient in chosen:
                pool.received[recipient.inbox_id] = pool.received.get(recipient.inbox_id, 0) + 1
                self._messages.add_inbound(
                    recipient.inbox_id, pool.day_of(by_id[recipient.inbox_id]), 1
                )
        self._members.claim(member, next_plan)
        return len(messages) if planned else 0

    def _keep_reputation(self, member: PoolMember, day: int) -> None:
        """Once a warm-up day: its reputation onto the inbox (health's WARMUP factor)."""
        started = parse(member.started_at)
        days = [
            d
            for d in self._messages.days(member.inbox_id, REPUTATION_DAYS + 1)
            if d.day > day - REPUTATION_DAYS and d.date and parse(d.date) >= started
        ]
        self._members.set_reputation(member, reputation(days))

    def _message(
        self,
        sender: PoolMember,
        recipient: PoolMember,
        day: int,
        send_at: str,
        not_after: str,
        key: str,
    ) -> WarmupMessage:
        ends = (
            Party(sender.workspace_id, sender.inbox_id, sender.email_address),
            Party(recipient.workspace_id, recipient.inbox_id, recipient.email_address),
        )
        text = warmup_text(self._rng, key)
        return planned_message(str(uuid.uuid4()), "warmup", ends, day, text, (send_at, not_after))

    def _dispatch(self, now: datetime) -> tuple[int, int]:
        lease = stamp(after(now, max(60, min(900, self._settings.warmup_day_seconds // 4))))
        sends: list[str] = []
        checks: list[str] = []
        checked: set[str] = set()
        due_now = stamp(now)
        found = each_shard(lambda s: self._schedule.due(s, due_now, DUE_PER_SHARD), due_shards())
        for work in chain.from_iterable(found):
            if not work.send_id and work.pk in checked:
                # One check a recipient a run: it looks for every arrival due by now, so a
                # second slot due at once has nothing left (two sessions would only race).
                self._schedule.check_done(work)
                continue
            if not self._schedule.claim(work, lease):
                continue
            if work.send_id:
                sends.append(SendMessage(send_id=work.send_id).model_dump_json())
            else:
                checked.add(work.pk)
                workspace_id, inbox_id = work.recipient
                check = ReceiveMessage(workspace_id=workspace_id, inbox_id=inbox_id, slot=work.sk)
                checks.append(check.model_dump_json())
        return (
            send_all(self._sqs, self._send_queue, sends),
            send_all(self._sqs, self._receive_queue, checks),
        )
