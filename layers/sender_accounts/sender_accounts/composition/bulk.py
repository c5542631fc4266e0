"""Bulk creation and deletion through SQS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sender_accounts.adapters.aws_clients import client
from sender_accounts.components import Component, env
from sender_accounts.composition.core import (
    bulk_jobs,
    connection_capacity,
    events,
    repository,
    vault,
)
from sender_accounts.config import get_settings

if TYPE_CHECKING:
    from sender_accounts.bulk.completion import DeadLetters
    from sender_accounts.bulk.delete import BulkDeleteService
    from sender_accounts.bulk.intake import BulkIntakeService
    from sender_accounts.bulk.validator import BulkValidator


def _bulk_intake() -> BulkIntakeService:
    from sender_accounts.bulk.intake import BulkIntakeService

    queue = env("BULK_QUEUE_URL")
    return BulkIntakeService(bulk_jobs.get(), vault.get(), client("sqs"), queue, events.get())


def _bulk_validator() -> BulkValidator:
    from sender_accounts.accounts.connection_validation import real_validation
    from sender_accounts.bulk.validator import BulkValidator

    return BulkValidator(
        bulk_jobs.get(), vault.get(), events.get(), get_settings(), real_validation,
        connection_capacity.get(),
    )  # fmt: skip


def _bulk_delete() -> BulkDeleteService:
    from sender_accounts.bulk.delete import BulkDeleteService

    queue = env("BULK_DELETE_QUEUE_URL")
    return BulkDeleteService(bulk_jobs.get(), repository.get(), client("sqs"), queue, events.get())


def _dead_letters() -> DeadLetters:
    from sender_accounts.bulk.completion import DeadLetters

    return DeadLetters(bulk_jobs.get(), events.get())


bulk_intake = Component(_bulk_intake, ("BULK_QUEUE_URL",), uses=(bulk_jobs, vault, events))
bulk_validator = Component(_bulk_validator, uses=(bulk_jobs, vault, events, connection_capacity))
bulk_delete = Component(_bulk_delete, ("BULK_DELETE_QUEUE_URL",), (bulk_jobs, repository, events))
dead_letters = Component(_dead_letters, uses=(bulk_jobs, events))
