"""Mailbox health: the check, bulk checks, the health queue's worker and the sweep."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sender_accounts.adapters.aws_clients import client
from sender_accounts.components import Component, env
from sender_accounts.composition.core import (
    bulk_jobs,
    connection_capacity,
    dns_lookup,
    events,
    repository,
    vault,
)
from sender_accounts.composition.domains import domains
from sender_accounts.composition.oauth import stored_logins
from sender_accounts.config import get_settings

if TYPE_CHECKING:
    from sender_accounts.health.bulk_check import BulkCheckService, HealthCheckWorker
    from sender_accounts.health.health_check import HealthCheckService
    from sender_accounts.health.sweep import HealthSweep


def _health_checks() -> HealthCheckService:
    from sender_accounts.accounts.connection_validation import real_validation
    from sender_accounts.health.health_check import HealthCheckService

    return HealthCheckService(
        repository.get(),
        vault.get(),
        events.get(),
        get_settings(),
        dns_lookup.get(),
        connection_capacity.get(),
        domains.get,
        real_validation,
        stored_logins.get(),
    )


def _bulk_checks() -> BulkCheckService:
    from sender_accounts.health.bulk_check import BulkCheckService
    from sender_accounts.store.inbox_lists import InboxLists

    lists = InboxLists(client("dynamodb"), env("TABLE_NAME"))
    queue = env("HEALTH_QUEUE_URL")
    return BulkCheckService(bulk_jobs.get(), lists, client("sqs"), queue, events.get())


def _health_worker() -> HealthCheckWorker:
    from sender_accounts.health.bulk_check import HealthCheckWorker

    return HealthCheckWorker(health_checks.get(), bulk_jobs.get(), events.get())


def _health_sweep() -> HealthSweep:
    from sender_accounts.health.sweep import HealthSweep
    from sender_accounts.store.due_index import DueIndex

    due = DueIndex(client("dynamodb"), env("TABLE_NAME"))
    return HealthSweep(due, client("sqs"), env("HEALTH_QUEUE_URL"))


health_checks = Component(
    _health_checks, uses=(repository, vault, events, domains, connection_capacity, stored_logins)
)
bulk_checks = Component(_bulk_checks, ("TABLE_NAME", "HEALTH_QUEUE_URL"), uses=(bulk_jobs, events))
health_worker = Component(_health_worker, uses=(health_checks, bulk_jobs, events))
health_sweep = Component(_health_sweep, ("TABLE_NAME", "HEALTH_QUEUE_URL"))
