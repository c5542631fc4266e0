"""Fires each Schedule event of the template at its function, as EventBridge Scheduler does:
at the template's rate, or every LOCAL_SCHEDULE_SECONDS when that is set (so a sweep that
runs every five minutes when deployed can be watched every few seconds on one machine)."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from .functions import invoke
from .provision import REGION
from .template import ScheduleSource, StackTemplate


def scheduled_event(source: ScheduleSource) -> dict[str, Any]:
    """The event a scheduled rule delivers."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:123456789012:rule/{source.function}{source.name}"],
        "detail": {},
    }


def local_period(source: ScheduleSource, environment: dict[str, str]) -> float | None:
    """The template's rate, or sooner where the function runs a number of times per a period
    its environment sets (LocalRunsPer), or LOCAL_SCHEDULE_SECONDS where that is set."""
    override = os.environ.get("LOCAL_SCHEDULE_SECONDS")
    if override:
        return float(override)
    period = source.every_seconds()
    if source.runs_per and environment.get(source.runs_per[0]):
        variable, runs = source.runs_per
        sooner = max(1.0, float(environment[variable]) / runs)
        period = sooner if period is None else min(period, sooner)
    return period


class LocalScheduler:
    def __init__(
        self, template: StackTemplate, environment_of: Callable[[str], dict[str, str]]
    ) -> None:
        """`environment_of`: a function's environment as deployed here, by logical id."""
        self._template = template
        self._sources = [
            (source, local_period(source, environment_of(source.function)))
            for source in template.schedule_sources()
        ]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        # Held by a run of the source, or by paused(): a tick that finds it held is skipped.
        self._holds = {source.function: threading.Lock() for source, _ in self._sources}
        self.fired: list[tuple[str, Any]] = []

    def periods(self) -> dict[str, float | None]:
        return {source.function: period for source, period in self._sources}

    def start(self) -> None:
        for source, period in self._sources:
            if period is None:
                print(f"{source.function}: cron schedules do not run locally", file=sys.stderr)
                continue
            thread = threading.Thread(target=self._run, args=(source, period), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _run(self, source: ScheduleSource, period: float) -> None:
        hold = self._holds[source.function]
        while not self._stop.wait(period):
            if not hold.acquire(blocking=False):
                continue  # paused: whoever paused it runs the function itself
            try:
                result = invoke(self._template, source.function, scheduled_event(source))
            except Exception as exc:  # a failed run is retried at the next tick, as deployed
                result = {"error": type(exc).__name__}
            finally:
                hold.release()
            self.fired.append((source.function, result))

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """No scheduled run starts inside, and none is running once it is entered (a run in
        progress is waited for): for a caller that runs the scheduled functions itself and
        counts what one run did."""
        for hold in self._holds.values():
            hold.acquire()
        try:
            yield
        finally:
            for hold in self._holds.values():
                hold.release()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
