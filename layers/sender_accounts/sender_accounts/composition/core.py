"""The adapters and stores every capability shares: the inbox store, the vault, the event bus,
the job store, the request controls (rate limits, idempotency, connection bounds), the signing
key and DNS lookups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sender_accounts.adapters.aws_clients import client
from sender_accounts.components import Component, env
from sender_accounts.config import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from sender_accounts.accounts.connection_capacity import ConnectionCapacity
    from sender_accounts.adapters.dns_lookup import DnsLookup
    from sender_accounts.adapters.events import EventPublisher
    from sender_accounts.adapters.password_vault import PasswordVault
    from sender_accounts.adapters.signing_key import SigningKey
    from sender_accounts.store.access import AccessStore
    from sender_accounts.store.bulk_jobs import BulkJobStore
    from sender_accounts.store.inboxes import InboxStore
    from sender_accounts.store.rate_limits import RateLimiter


def _repository() -> InboxStore:
    from sender_accounts.store.inboxes import InboxStore

    return InboxStore(client("dynamodb"), env("TABLE_NAME"))


def _access_store() -> AccessStore:
    from sender_accounts.store.access import AccessStore

    return AccessStore(client("dynamodb"), env("TABLE_NAME"))


def _vault() -> PasswordVault:
    from sender_accounts.adapters.password_vault import PasswordVault

    return PasswordVault(client("kms"), env("KMS_KEY_ID"))


def _events() -> EventPublisher:
    from sender_accounts.adapters.events import EventPublisher

    return EventPublisher(client("events"), env("EVENT_BUS_NAME"))


def _bulk_jobs() -> BulkJobStore:
    from sender_accounts.store.bulk_jobs import BulkJobStore

    return BulkJobStore(client("dynamodb"), env("JOBS_TABLE_NAME"), env("TABLE_NAME"))


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


def _dns_lookup() -> DnsLookup:
    from sender_accounts.adapters.dns_lookup import DnsLookup, parse_nameservers

    return DnsLookup(parse_nameservers(get_settings().dns_nameservers))


repository = Component(_repository, ("TABLE_NAME",))
access_store = Component(_access_store, ("TABLE_NAME",))
vault = Component(_vault, ("KMS_KEY_ID",))
events = Component(_events, ("EVENT_BUS_NAME",))
bulk_jobs = Component(_bulk_jobs, ("JOBS_TABLE_NAME", "TABLE_NAME"))
rate_limiter = Component(_rate_limiter, ("REQUEST_CONTROL_TABLE_NAME",))
idempotency_store = Component(_idempotency_store, ("REQUEST_CONTROL_TABLE_NAME",))
signing_key = Component(_signing_key, ("CURSOR_SECRET_ARN",))
connection_capacity = Component(_connection_capacity, ("REQUEST_CONTROL_TABLE_NAME",))
dns_lookup = Component(_dns_lookup)
