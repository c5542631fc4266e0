"""The scheduled sweep: every monitored inbox whose next check is due goes on the health
queue, found through the due index's shards (store/due_index.py), never by reading the table.

Inboxes come due spread over the interval (each check sets the next one at the interval
±10 %), so a sweep every few minutes queues a steady trickle rather than a herd. Each shard
is swept in its own thread; an inbox is queued only after its claim succeeded, and a claim
whose message is lost comes due again when it expires.
"""

from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sender_accounts.adapters.observability import logger, metrics
from sender_accounts.adapters.queue_sending import SQS_BATCH, send_all
from sender_accounts.health.models import HealthCheckMessage
from sender_accounts.store.due_index import DueEntry, DueIndex, shards

CLAIM_MINUTES = 30
# Inboxes one sweep queues per shard: with 16 shards, 8,000 a sweep; the rest wait for the next.
PER_SHARD_BOUND = 500


@dataclass(frozen=True)
class SweepReport:
    due: int
    queued: int

    def as_dict(self) -> dict[str, int]:
        return {"due": self.due, "queued": self.queued}


class HealthSweep:
    def __init__(self, due: DueIndex, sqs: Any, queue_url: str) -> None:
        self._due = due
        self._sqs = sqs
        self._queue_url = queue_url

    def run(self, now: datetime | None = None) -> SweepReport:
        moment = now or datetime.now(UTC)
        at, until = moment.isoformat(), (moment + timedelta(minutes=CLAIM_MINUTES)).isoformat()
        context = contextvars.copy_context()

        def sweep(shard: str) -> tuple[int, int]:
            return context.copy().run(self._sweep_shard, shard, at, until)

        with ThreadPoolExecutor(max_workers=len(shards())) as pool:
            counts = list(pool.map(sweep, shards()))
        report = SweepReport(sum(c[0] for c in counts), sum(c[1] for c in counts))
        metrics.add_metric(name="HealthChecksQueued", unit="Count", value=report.queued)
        logger.info("health sweep", extra=report.as_dict())
        return report

    def _sweep_shard(self, shard: str, now: str, until: str) -> tuple[int, int]:
        due = queued = 0
        batch: list[DueEntry] = []
        for entry in self._due.due(shard, now, PER_SHARD_BOUND):
            due += 1
            if self._due.claim(entry, until):
                batch.append(entry)
            if len(batch) == SQS_BATCH:
                queued += self._send(batch)
                batch = []
        if batch:
            queued += self._send(batch)
        return due, queued

    def _send(self, entries: list[DueEntry]) -> int:
        # Claimed but not queued: these come due again when their claim expires.
        bodies = [
            HealthCheckMessage(workspace_id=e.workspace_id, inbox_id=e.inbox_id).model_dump_json(
                exclude_none=True
            )
            for e in entries
        ]
        return send_all(self._sqs, self._queue_url, bodies)
