"""A job's counters, of which each kind of job has its own (creation: success and failed;
deletion: deleted, skipped and failed; checks: healthy, unhealthy, skipped and failed): kept
on the job's record and carried by its completion event."""

from __future__ import annotations

from sender_accounts.common.model import Model


class JobCounters(Model):
    success_count: int | None = None
    healthy_count: int | None = None
    unhealthy_count: int | None = None
    deleted_count: int | None = None
    skipped_count: int | None = None
    failed_count: int | None = None

    def counters(self) -> dict[str, int]:
        """The counters of the job's kind, by name."""
        names = JobCounters.model_fields
        return {name: value for name in names if (value := getattr(self, name)) is not None}
