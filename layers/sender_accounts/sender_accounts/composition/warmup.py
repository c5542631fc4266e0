"""Warm-up: the planner, the send and receive workers, and the statistics GET reads."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sender_accounts.adapters.aws_clients import client
from sender_accounts.common.clock import utc_now
from sender_accounts.components import Component, env
from sender_accounts.composition.core import bulk_jobs, connection_capacity, events, repository
from sender_accounts.composition.oauth import stored_logins
from sender_accounts.config import get_settings

if TYPE_CHECKING:
    from sender_accounts.store.warmup_messages import WarmupMessages
    from sender_accounts.store.warmup_schedule import WarmupSchedule
    from sender_accounts.warmup.bulk import BulkWarmupService
    from sender_accounts.warmup.engine import EngineParts
    from sender_accounts.warmup.planner import WarmupPlanner
    from sender_accounts.warmup.receiver import WarmupReceiver
    from sender_accounts.warmup.safety import WarmupSafety
    from sender_accounts.warmup.sender import WarmupSender
    from sender_accounts.warmup.statistics import WarmupReports


def now() -> datetime:
    return datetime.now(UTC)


def _messages() -> WarmupMessages:
    from sender_accounts.store.warmup_messages import WarmupMessages

    return WarmupMessages(client("dynamodb"), env("WARMUP_TABLE_NAME"), time.time)


def _schedule() -> WarmupSchedule:
    from sender_accounts.store.warmup_schedule import WarmupSchedule

    return WarmupSchedule(client("dynamodb"), env("WARMUP_TABLE_NAME"), time.time)


def _safety() -> WarmupSafety:
    from sender_accounts.warmup.safety import WarmupSafety

    return WarmupSafety(repository.get(), events.get(), utc_now)


def _backfill() -> int:
    # Loaded when the one-off step runs, not with every cold planner (it ran once already)
    from sender_accounts.store.inbox_backfill import StoredInboxBackfill

    return StoredInboxBackfill(client("dynamodb"), env("TABLE_NAME")).run()


def _planner() -> WarmupPlanner:
    from sender_accounts.store.warmup_members import WarmupMembers
    from sender_accounts.warmup.planner import WarmupPlanner

    members = WarmupMembers(client("dynamodb"), env("TABLE_NAME"))
    queues = (env("WARMUP_SEND_QUEUE_URL"), env("WARMUP_RECEIVE_QUEUE_URL"))
    return WarmupPlanner(
        members,
        warmup_messages.get(),
        warmup_schedule.get(),
        client("sqs"),
        queues,
        get_settings(),
        now,
        backfill=_backfill,
    )


def _parts() -> EngineParts:
    from sender_accounts.warmup.engine import EngineParts

    return EngineParts(
        repository.get(),
        warmup_messages.get(),
        warmup_schedule.get(),
        stored_logins.get(),
        connection_capacity.get(),
        warmup_safety.get(),
        get_settings(),
        now,
    )


def _sender() -> WarmupSender:
    from sender_accounts.sending.test_email import real_transport
    from sender_accounts.warmup.sender import WarmupSender

    return WarmupSender(warmup_parts.get(), real_transport)


def _receiver() -> WarmupReceiver:
    from sender_accounts.warmup.receiver import WarmupReceiver

    return WarmupReceiver(warmup_parts.get())


def _reports() -> WarmupReports:
    from sender_accounts.warmup.statistics import WarmupReports

    return WarmupReports(repository.get(), warmup_messages.get(), get_settings(), now)


def _bulk_warmups() -> BulkWarmupService:
    from sender_accounts.store.inbox_lists import InboxLists
    from sender_accounts.warmup.bulk import BulkWarmupService

    lists = InboxLists(client("dynamodb"), env("TABLE_NAME"))
    queue = env("WARMUP_BULK_QUEUE_URL")
    return BulkWarmupService(
        bulk_jobs.get(), repository.get(), lists, client("sqs"), queue, events.get()
    )


warmup_messages = Component(_messages, ("WARMUP_TABLE_NAME",))
warmup_schedule = Component(_schedule, ("WARMUP_TABLE_NAME",))
warmup_safety = Component(_safety, uses=(repository, events))
_queues = ("TABLE_NAME", "WARMUP_SEND_QUEUE_URL", "WARMUP_RECEIVE_QUEUE_URL")
warmup_planner = Component(_planner, _queues, uses=(warmup_messages, warmup_schedule))
warmup_parts = Component(
    _parts,
    uses=(
        repository,
        warmup_messages,
        warmup_schedule,
        stored_logins,
        connection_capacity,
        warmup_safety,
    ),
)
warmup_sender = Component(_sender, uses=(warmup_parts,))
warmup_receiver = Component(_receiver, uses=(warmup_parts,))
warmup_reports = Component(_reports, uses=(repository, warmup_messages))
bulk_warmups = Component(
    _bulk_warmups, ("TABLE_NAME", "WARMUP_BULK_QUEUE_URL"), uses=(bulk_jobs, repository, events)
)
