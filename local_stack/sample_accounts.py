"""The sample workspace's inboxes, domains, OAuth apps and consent, for the samples in events/
that name them (samples.py seeds the rest).

Seeding empties the sample workspace of inboxes, domains and OAuth apps first, so what a sample
created at an earlier start (a domain, a native inbox, a stored SmartLead account) does not turn
its next run into a 409, and then puts each sample item back as the samples expect it. Each
sample that changes or removes an inbox, domain or app names its own, so the samples run in any
order. The SmartLead samples name integer ids; the deployment's id counter is moved past them,
so an inbox created later never takes one.

The sample inboxes connect to localhost:587 and :993, where nothing listens unless the developer
runs a mail server there: a check, a test email or a warm-up send reaches the connection and
reports it refused.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import Any

SAMPLE_PASSWORD = "your-app-password"  # noqa: S105 - the samples' own placeholder
DOMAIN_NAME = "samples.example.com"


@dataclass(frozen=True)
class SampleInbox:
    inbox_id: str
    account_id: int
    local_part: str


def _inbox(suffix: str, account_id: int, local_part: str) -> SampleInbox:
    return SampleInbox(f"750e8400-e29b-41d4-a716-4466554400{suffix}", account_id, local_part)


# The read-only samples (get, check, test email, warm-up report, the health and warm-up
# workers, SmartLead's get and warm-up stats) name the first; each changing sample its own.
INBOXES = (
    _inbox("01", 4242, "hello"),
    _inbox("02", 4243, "update-sample"),
    _inbox("03", 4244, "delete-sample"),
    _inbox("04", 4245, "bulk-delete-one"),
    _inbox("05", 4246, "bulk-delete-two"),
    _inbox("06", 4247, "bulk-warmup-sample"),
    _inbox("07", 4248, "smartlead-update"),
    _inbox("08", 4249, "smartlead-delete"),
    _inbox("09", 4250, "smartlead-warmup"),
    _inbox("10", 4251, "smartlead-suspend"),
)
# The native-inbox samples create on the first; the delete sample removes the second.
DOMAINS = ("550e8400-e29b-41d4-a716-446655440000", "550e8400-e29b-41d4-a716-446655440001")
# Microsoft: the OAuth account and consent samples; its twin: the delete sample's. Google:
# SmartLead's save-oauth sample (SmartLead picks the workspace's app of the provider).
OAUTH_APPS = (
    ("3f0c1b9e-5a7d-4c2e-9b8f-0d1e2f3a4b5c", "microsoft"),
    ("3f0c1b9e-5a7d-4c2e-9b8f-0d1e2f3a4b01", "microsoft"),
    ("3f0c1b9e-5a7d-4c2e-9b8f-0d1e2f3a4b02", "google"),
)
CONSENT_STATE = "sample-consent-state"  # the OAuth callback sample's state
LAST_SAMPLE_ACCOUNT_ID = max(inbox.account_id for inbox in INBOXES)


def seed_sample_accounts(workspace_id: str) -> None:
    _empty(workspace_id)
    _past_sample_ids()
    for domain_id in DOMAINS:
        _domain(workspace_id, domain_id)
    for oauth_app_id, provider in OAUTH_APPS:
        _oauth_app(workspace_id, oauth_app_id, provider)
    for inbox in INBOXES:
        _smtp_inbox(workspace_id, inbox)
    _consent(workspace_id, OAUTH_APPS[0][0])


def _table() -> tuple[Any, str]:
    import os

    from sender_accounts.adapters.aws_clients import client

    return client("dynamodb"), os.environ["TABLE_NAME"]


def _ids(workspace_id: str, prefix: str) -> list[str]:
    from sender_accounts.store.keys import workspace_key

    db, table = _table()
    pages = db.get_paginator("query").paginate(
        TableName=table,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues={
            ":pk": {"S": workspace_key(workspace_id)},
            ":prefix": {"S": prefix},
        },
        ProjectionExpression="sk",
    )
    return [item["sk"]["S"].removeprefix(prefix) for page in pages for item in page["Items"]]


def _empty(workspace_id: str) -> None:
    """Inboxes first: they hold their domain's and app's counts."""
    from sender_accounts.composition import repository
    from sender_accounts.errors import NotFound
    from sender_accounts.store.domains import DomainStore
    from sender_accounts.store.keys import DOMAIN_PREFIX, INBOX_PREFIX, OAUTH_APP_PREFIX
    from sender_accounts.store.oauth_apps import OAuthAppStore

    for inbox_id in _ids(workspace_id, INBOX_PREFIX):
        with contextlib.suppress(NotFound):
            repository.get().delete_inbox(workspace_id, inbox_id)
    domains = DomainStore(*_table())
    for domain_id in _ids(workspace_id, DOMAIN_PREFIX):
        item = domains.get(workspace_id, domain_id)
        if item is not None:
            domains.delete(workspace_id, item, owned=item.status != "PENDING")
    apps = OAuthAppStore(*_table())
    for oauth_app_id in _ids(workspace_id, OAUTH_APP_PREFIX):
        with contextlib.suppress(NotFound):
            apps.delete(workspace_id, oauth_app_id)


def _past_sample_ids() -> None:
    """The id counter at or past the samples' ids (it only ever grows)."""
    from botocore.exceptions import ClientError

    from sender_accounts.store.account_ids import COUNTER_KEY
    from sender_accounts.store.dynamo import serialize

    db, table = _table()
    with contextlib.suppress(ClientError):  # already past them
        db.update_item(
            TableName=table,
            Key=serialize(COUNTER_KEY),
            UpdateExpression="SET next_id = :last",
            ConditionExpression="attribute_not_exists(next_id) OR next_id < :last",
            ExpressionAttributeValues=serialize({":last": LAST_SAMPLE_ACCOUNT_ID}),
        )


def _domain(workspace_id: str, domain_id: str) -> None:
    """An ACTIVE domain, as proving its ownership and SES's verification leave it."""
    from sender_accounts.adapters.aws_clients import client
    from sender_accounts.common.clock import utc_now
    from sender_accounts.common.statuses import DomainStatus
    from sender_accounts.domains.ownership import new_token
    from sender_accounts.store.domains import DomainStore
    from sender_accounts.store.records import DomainRecord

    name = DOMAIN_NAME if domain_id == DOMAINS[0] else f"delete.{DOMAIN_NAME}"
    store, now = DomainStore(*_table()), utc_now()
    item = DomainRecord(
        domain_id=domain_id, domain=name, status=DomainStatus.PENDING, ownership_token=new_token(),
        pending_until=int(time.time()) + 3600, created_at=now, updated_at=now,
    )  # fmt: skip
    store.register(workspace_id, item)
    store.release_ownership(name)  # an earlier start's claim, if the stack stopped mid-seed
    store.take_ownership(workspace_id, item)
    ses = client("ses")
    ses.verify_domain_identity(Domain=name)
    tokens = ses.verify_domain_dkim(Domain=name)["DkimTokens"]
    store.set(workspace_id, domain_id, {"status": "ACTIVE", "dkim_tokens": tokens})


def _oauth_app(workspace_id: str, oauth_app_id: str, provider_name: str) -> None:
    from sender_accounts.common.clock import utc_now
    from sender_accounts.composition import vault
    from sender_accounts.oauth.apps import client_secret_context
    from sender_accounts.oauth.providers import Provider, default_authorize_url, default_token_url
    from sender_accounts.store.oauth_apps import OAuthAppStore
    from sender_accounts.store.records import OAuthAppRecord

    provider = Provider(provider_name)
    tenant = "contoso.onmicrosoft.com" if provider is Provider.MICROSOFT else None
    secret = vault.get().seal_secrets(
        {"client_secret": "sample-client-secret"},
        client_secret_context(workspace_id, oauth_app_id),
    )
    record = OAuthAppRecord(
        oauth_app_id=oauth_app_id, provider=provider.value,
        client_id="00000000-0000-0000-0000-000000000000", tenant=tenant,
        authorize_url=default_authorize_url(provider, tenant),
        token_url=default_token_url(provider, tenant), client_secret_ciphertext=secret,
        created_at=utc_now(), redirect_uris=["https://app.example.com/mailboxes/connected"],
    )  # fmt: skip
    OAuthAppStore(*_table()).create(workspace_id, record)


def _smtp_inbox(workspace_id: str, sample: SampleInbox) -> None:
    from sender_accounts.accounts.models import CreateSmtpAccountRequest
    from sender_accounts.accounts.records import new_inbox_record, passwords_of
    from sender_accounts.common.clock import utc_now
    from sender_accounts.composition import repository, vault

    address = f"{sample.local_part}@company.test"
    request = CreateSmtpAccountRequest.model_validate({
        "email_address": address, "display_name": "John Smith from Company",
        "inbox_type": "CUSTOM_SMTP", "daily_limit": 50,
        "smtp_host": "localhost", "smtp_port": 587, "smtp_username": address,
        "smtp_password": SAMPLE_PASSWORD, "smtp_use_tls": True,
        "imap_host": "localhost", "imap_port": 993, "imap_username": address,
        "imap_password": SAMPLE_PASSWORD, "imap_use_ssl": True,
    })  # fmt: skip
    sealed = vault.get().seal(passwords_of(request), workspace_id, sample.inbox_id)
    record = new_inbox_record(sample.inbox_id, request, [], sealed, utc_now())
    repository.get().create_inbox(
        workspace_id, record.model_copy(update={"account_id": sample.account_id})
    )


def _consent(workspace_id: str, oauth_app_id: str) -> None:
    """A consent the callback sample's state names, as starting the flow stores it."""
    from sender_accounts.common.statuses import InboxType
    from sender_accounts.composition import vault
    from sender_accounts.oauth.consent import STATE_SECONDS, state_hash, verifier_context
    from sender_accounts.store.consents import ConsentStore
    from sender_accounts.store.dynamo import serialize
    from sender_accounts.store.keys import consent_state_key
    from sender_accounts.store.records import ConsentRecord

    hashed = state_hash(CONSENT_STATE)
    db, table = _table()
    db.delete_item(TableName=table, Key=serialize(consent_state_key(hashed)))
    sealed = vault.get().seal_secrets(
        {"verifier": "sample-verifier-" + "0" * 32}, verifier_context(workspace_id, hashed)
    )
    consent = ConsentRecord(
        workspace_id=workspace_id, oauth_app_id=oauth_app_id, inbox_type=InboxType.OUTLOOK_365,
        redirect_uri="https://app.example.com/mailboxes/connected", verifier_ciphertext=sealed,
        request={"callback_url": "http://127.0.0.1:3000/api/public/v1/oauth/callback"},
        expires_at=int(time.time()) + STATE_SECONDS,
    )  # fmt: skip
    ConsentStore(db, table).put(hashed, consent)
