"""The production graph: every collaborator, what it needs from the environment, how it is
built. Routes receive theirs through Powertools `Depends(component.get)`; tests override a
component with `app.dependency_overrides` or drive use cases with fakes; the local runtime
calls `reset()` after changing the environment.

Each component names the variables it needs. A function checks its own at cold start
(`require`), so a missing table or queue fails the init with a message naming the variable
instead of switching a feature off. Builders import their classes when first called: a
function imports only what its route uses. The machinery is in components.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sender_accounts.adapters.aws_clients import client
from sender_accounts.components import Component, MissingConfiguration, env, require, reset
from sender_accounts.config import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from sender_accounts.accounts.connection_capacity import ConnectionCapacity
    from sender_accounts.accounts.listing import SenderAccountListing
    from sender_accounts.accounts.service import SenderAccountService
    from sender_accounts.accounts.update import UpdateService
    from sender_accounts.adapters.dns_lookup import DnsLookup
    from sender_accounts.adapters.events import EventPublisher
    from sender_accounts.adapters.password_vault import PasswordVault
    from sender_accounts.adapters.signing_key import SigningKey
    from sender_accounts.bulk.delete import BulkDeleteService
    from sender_accounts.bulk.intake import BulkIntakeService
    from sender_accounts.bulk.queue import DeadLetters
    from sender_accounts.bulk.validator import BulkValidator
    from sender_accounts.domains.listing import DomainListing
    from sender_accounts.domains.service import DomainService
    from sender_accounts.health.bulk_check import BulkCheckService, HealthCheckWorker
    from sender_accounts.health.check import HealthCheckService
    from sender_accounts.health.sweep import HealthSweep
    from sender_accounts.native.service import NativeAccountService
    from sender_accounts.sending.test_email import TestEmailService
    from sender_accounts.store.access import AccessStore
    from sender_accounts.store.bulk_jobs import BulkJobRepository
    from sender_accounts.store.inboxes import SenderAccountRepository
    from sender_accounts.store.rate_limits import RateLimiter

__all__ = ["Component", "MissingConfiguration", "env", "require", "reset"]

# Adapters and stores ------------------------------------------------------------------------


def _repository() -> SenderAccountRepository:
    from sender_accounts.store.inboxes import SenderAccountRepository

    return SenderAccountRepository(client("dynamodb"), env("TABLE_NAME"))


def _access_store() -> AccessStore:
    from sender_accounts.store.access import AccessStore

    return AccessStore(client("dynamodb"), env("TABLE_NAME"))


def _vault() -> PasswordVault:
    from sender_accounts.adapters.password_vault import PasswordVault

    return PasswordVault(client("kms"), env("KMS_KEY_ID"))


def _events() -> EventPublisher:
    from sender_accounts.adapters.events import EventPublisher

    return EventPublisher(client("events"), env("EVENT_BUS_NAME"))


def _bulk_jobs() -> BulkJobRepository:
    from sender_accounts.store.bulk_jobs import BulkJobRepository

    return BulkJobRepository(client("dynamodb"), env("JOBS_TABLE_NAME"), env("TABLE_NAME"))


def _rate_limiter() -> RateLimiter:
    from sender_accounts.store.rate_limits import RateLimiter

    per_minute = get_settings().rate_limit_per_minute
    return RateLimiter(client("dynamodb"), env("REQUEST_CONTROL_TABLE_NAME"), per_minute)


def _idempotency_store() -> DynamoDBPersistenceLayer:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    table = env("REQUEST_CONTROL_TABLE_NAME")
    return DynamoDBPersistenceLayer(table_name=table, boto3_client=client("dynamodb"))


def _connection_capacity() -> ConnectionCapacity:
    from sender_accounts.accounts.connection_capacity import ConnectionCapacity
    from sender_accounts.store.host_slots import HostSlots
    from sender_accounts.store.rate_limits import RateLimiter

    settings, table = get_settings(), env("REQUEST_CONTROL_TABLE_NAME")
    per_minute = settings.mail_connections_per_workspace_per_minute
    budget = RateLimiter(client("dynamodb"), table, per_minute, kind="mailconn")
    checks = HostSlots(client("dynamodb"), table, settings.max_connections_per_mail_host)
    validations = HostSlots(
        client("dynamodb"), table, settings.max_validation_connections_per_address, "valslot"
    )
    return ConnectionCapacity(budget, checks, validations)


def _signing_key() -> SigningKey:
    from sender_accounts.adapters.signing_key import SigningKey

    return SigningKey(client("secretsmanager"), env("CURSOR_SECRET_ARN"))


repository = Component(_repository, ("TABLE_NAME",))
access_store = Component(_access_store, ("TABLE_NAME",))
vault = Component(_vault, ("KMS_KEY_ID",))
events = Component(_events, ("EVENT_BUS_NAME",))
bulk_jobs = Component(_bulk_jobs, ("JOBS_TABLE_NAME", "TABLE_NAME"))
rate_limiter = Component(_rate_limiter, ("REQUEST_CONTROL_TABLE_NAME",))
idempotency_store = Component(_idempotency_store, ("REQUEST_CONTROL_TABLE_NAME",))
signing_key = Component(_signing_key, ("CURSOR_SECRET_ARN",))
connection_capacity = Component(_connection_capacity, ("REQUEST_CONTROL_TABLE_NAME",))


# Use cases ----------------------------------------------------------------------------------


def _accounts() -> SenderAccountService:
    from sender_accounts.accounts.service import SenderAccountService

    return SenderAccountService(
        repository.get(), vault.get(), events.get(), get_settings(),
        capacity=connection_capacity.get(),
    )  # fmt: skip


def _account_lists() -> SenderAccountListing:
    from sender_accounts.accounts.listing import SenderAccountListing
    from sender_accounts.store.inbox_lists import InboxLists
    from sender_accounts.store.search_index import InboxSearch

    table = env("TABLE_NAME")
    search = InboxSearch(client("dynamodb"), table)
    return SenderAccountListing(InboxLists(client("dynamodb"), table), search, signing_key.get())


def _updates() -> UpdateService:
    from sender_accounts.accounts.update import UpdateService
    from sender_accounts.composition_oauth import oauth_accounts

    service = UpdateService(
        repository.get(), vault.get(), events.get(), get_settings(),
        capacity=connection_capacity.get(),
    )  # fmt: skip
    service.renewal = oauth_accounts.get()
    return service


def _test_emails() -> TestEmailService:
    from sender_accounts.composition_oauth import stored_logins
    from sender_accounts.sending.test_email import TestEmailService

    logins = stored_logins.get()
    return TestEmailService(
        repository.get(), vault.get(), get_settings(), client("ses"), None, logins,
        capacity=connection_capacity.get(),
    )  # fmt: skip


def _bulk_intake() -> BulkIntakeService:
    from sender_accounts.bulk.intake import BulkIntakeService

    queue = env("BULK_QUEUE_URL")
    return BulkIntakeService(bulk_jobs.get(), vault.get(), client("sqs"), queue, events.get())


def _bulk_validator() -> BulkValidator:
    from sender_accounts.bulk.validator import BulkValidator

    capacity = connection_capacity.get()
    return BulkValidator(bulk_jobs.get(), vault.get(), events.get(), get_settings(), capacity)


def _bulk_delete() -> BulkDeleteService:
    from sender_accounts.bulk.delete import BulkDeleteService

    queue = env("BULK_DELETE_QUEUE_URL")
    return BulkDeleteService(bulk_jobs.get(), repository.get(), client("sqs"), queue, events.get())


def _dead_letters() -> DeadLetters:
    from sender_accounts.bulk.queue import DeadLetters

    return DeadLetters(bulk_jobs.get(), events.get())


def _dns_lookup() -> DnsLookup:
    from sender_accounts.adapters.dns_lookup import DnsLookup, parse_nameservers

    return DnsLookup(parse_nameservers(get_settings().dns_nameservers))


def _domains() -> DomainService:
    from sender_accounts.domains.ownership import OwnershipCheck
    from sender_accounts.domains.service import DomainService
    from sender_accounts.store.domains import DomainStore

    ownership = OwnershipCheck(get_settings().domain_ownership_check, dns_lookup.get())
    store = DomainStore(client("dynamodb"), env("TABLE_NAME"))
    return DomainService(store, client("ses"), events.get(), ownership)


def _domain_lists() -> DomainListing:
    from sender_accounts.domains.listing import DomainListing
    from sender_accounts.store.domain_lists import DomainLists

    lists = DomainLists(client("dynamodb"), env("TABLE_NAME"))
    return DomainListing(lists, domains.get(), signing_key.get())


def _native_accounts() -> NativeAccountService:
    from sender_accounts.native.service import NativeAccountService

    return NativeAccountService(repository.get(), domains.get(), events.get())


dns_lookup = Component(_dns_lookup)
accounts = Component(_accounts, uses=(repository, vault, events, connection_capacity))
account_lists = Component(_account_lists, ("TABLE_NAME",), uses=(signing_key,))
updates = Component(_updates, uses=(repository, vault, events, connection_capacity))
test_emails = Component(_test_emails, uses=(repository, vault, connection_capacity))
bulk_intake = Component(_bulk_intake, ("BULK_QUEUE_URL",), uses=(bulk_jobs, vault, events))
bulk_validator = Component(_bulk_validator, uses=(bulk_jobs, vault, events, connection_capacity))
bulk_delete = Component(_bulk_delete, ("BULK_DELETE_QUEUE_URL",), (bulk_jobs, repository, events))
dead_letters = Component(_dead_letters, uses=(bulk_jobs, events))
domains = Component(_domains, ("TABLE_NAME",), uses=(events, dns_lookup))
domain_lists = Component(_domain_lists, ("TABLE_NAME",), uses=(domains, signing_key))
native_accounts = Component(_native_accounts, uses=(repository, domains, events))


# Mailbox health ----------------------------------------------------------------------------


def _health_checks() -> HealthCheckService:
    from sender_accounts.composition_oauth import stored_logins
    from sender_accounts.health.check import HealthCheckService

    return HealthCheckService(
        repository.get(),
        vault.get(),
        events.get(),
        get_settings(),
        dns_lookup.get(),
        connection_capacity.get(),
        domains.get(),
        logins=stored_logins.get(),
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
    _health_checks, uses=(repository, vault, events, domains, connection_capacity)
)
bulk_checks = Component(_bulk_checks, ("TABLE_NAME", "HEALTH_QUEUE_URL"), uses=(bulk_jobs, events))
health_worker = Component(_health_worker, uses=(health_checks, bulk_jobs, events))
health_sweep = Component(_health_sweep, ("TABLE_NAME", "HEALTH_QUEUE_URL"))
