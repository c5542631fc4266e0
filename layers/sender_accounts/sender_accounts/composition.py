"""The process's collaborators, built once from settings and reused across invocations.

Logic never builds boto3 clients itself; tests and the local runtime clear these caches when
they change the environment.
"""

from __future__ import annotations

from functools import lru_cache

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

from sender_accounts.accounts.lifecycle import LifecycleService
from sender_accounts.accounts.service import SenderAccountService
from sender_accounts.adapters.aws_clients import client
from sender_accounts.adapters.dns_lookup import DnsLookup, parse_nameservers
from sender_accounts.adapters.events import EventPublisher
from sender_accounts.adapters.password_vault import PasswordVault
from sender_accounts.bulk.delete import BulkDeleteService
from sender_accounts.bulk.intake import BulkIntakeService
from sender_accounts.bulk.validator import BulkValidator
from sender_accounts.config import get_settings
from sender_accounts.domains.ownership import OwnershipCheck
from sender_accounts.domains.service import DomainService
from sender_accounts.native.service import NativeAccountService
from sender_accounts.store.bulk_jobs import BulkJobRepository
from sender_accounts.store.inboxes import repository
from sender_accounts.store.rate_limits import RateLimiter


@lru_cache(maxsize=1)
def vault() -> PasswordVault:
    return PasswordVault(client("kms"), get_settings().kms_key_id)


@lru_cache(maxsize=1)
def events() -> EventPublisher:
    return EventPublisher(client("events"), get_settings().event_bus_name)


@lru_cache(maxsize=1)
def sender_account_service() -> SenderAccountService:
    return SenderAccountService(repository(), vault(), events(), get_settings())


@lru_cache(maxsize=1)
def bulk_jobs() -> BulkJobRepository:
    settings = get_settings()
    return BulkJobRepository(client("dynamodb"), settings.jobs_table_name, settings.table_name)


@lru_cache(maxsize=1)
def bulk_intake() -> BulkIntakeService:
    return BulkIntakeService(
        bulk_jobs(), vault(), client("sqs"), get_settings().bulk_queue_url, events()
    )


@lru_cache(maxsize=1)
def bulk_validator() -> BulkValidator:
    return BulkValidator(bulk_jobs(), vault(), get_settings())


@lru_cache(maxsize=1)
def bulk_delete() -> BulkDeleteService:
    return BulkDeleteService(
        bulk_jobs(), repository(), client("sqs"), get_settings().bulk_delete_queue_url, events()
    )


@lru_cache(maxsize=1)
def lifecycle() -> LifecycleService:
    return LifecycleService(repository(), vault(), events(), get_settings(), client("ses"))


@lru_cache(maxsize=1)
def domains() -> DomainService:
    settings = get_settings()
    lookup = DnsLookup(parse_nameservers(settings.dns_nameservers))
    ownership = OwnershipCheck(settings.domain_ownership_check, lookup)
    return DomainService(repository(), settings.table_name, client("ses"), events(), ownership)


@lru_cache(maxsize=1)
def native_accounts() -> NativeAccountService:
    return NativeAccountService(repository(), domains(), get_settings().table_name, events())


@lru_cache(maxsize=1)
def rate_limiter() -> RateLimiter:
    settings = get_settings()
    return RateLimiter(
        client("dynamodb"), settings.request_control_table_name, settings.rate_limit_per_minute
    )


@lru_cache(maxsize=1)
def idempotency_store() -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(
        table_name=get_settings().request_control_table_name, boto3_client=client("dynamodb")
    )


CACHED_FACTORIES = (
    rate_limiter,
    idempotency_store,
    domains,
    native_accounts,
    lifecycle,
    bulk_delete,
    vault,
    events,
    sender_account_service,
    bulk_jobs,
    bulk_intake,
    bulk_validator,
)
