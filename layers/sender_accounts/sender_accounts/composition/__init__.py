"""The production graph: every collaborator, what it needs from the environment, how it is
built. Routes receive theirs through Powertools `Depends(component.get)`; tests override a
component with `app.dependency_overrides` or drive use cases with fakes; the local runtime
calls `reset()` after changing the environment.

Each component names the variables it needs. A function checks its own at cold start
(`require`), so a missing table or queue fails the init with a message naming the variable
instead of switching a feature off. Builders import their classes when first called: a
function imports only what its route uses. The machinery is in components.py.

One module a capability, each importing only those below it: `core` (adapters and stores),
`oauth`, then `accounts`, `bulk`, `domains`, `health`, `warmup`, `smartlead` (SmartLead's
surface over the same use cases), `webhooks`. This package re-exports every
component, so a function imports `from sender_accounts.composition import <component>`.
"""

from sender_accounts.components import Component, MissingConfiguration, env, require, reset
from sender_accounts.composition.accounts import (
    account_lists,
    accounts,
    stored_accounts,
    test_emails,
    updates,
)
from sender_accounts.composition.bulk import bulk_delete, bulk_intake, bulk_validator, dead_letters
from sender_accounts.composition.core import (
    access_store,
    bulk_jobs,
    connection_capacity,
    dns_lookup,
    events,
    idempotency_store,
    rate_limiter,
    repository,
    signing_key,
    vault,
)
from sender_accounts.composition.domains import domain_lists, domains, native_accounts
from sender_accounts.composition.health import (
    bulk_checks,
    health_checks,
    health_sweep,
    health_worker,
)
from sender_accounts.composition.oauth import consents, oauth_accounts, oauth_apps, stored_logins
from sender_accounts.composition.smartlead import (
    smartlead_changes,
    smartlead_deletes,
    smartlead_ids,
    smartlead_lists,
    smartlead_oauth_saves,
    smartlead_reads,
    smartlead_reconnects,
    smartlead_saves,
    smartlead_stats,
)
from sender_accounts.composition.warmup import (
    bulk_warmups,
    warmup_planner,
    warmup_receiver,
    warmup_reports,
    warmup_sender,
)
from sender_accounts.composition.webhooks import webhook_dispatcher, webhook_store, webhooks

__all__ = [
    "Component",
    "MissingConfiguration",
    "access_store",
    "account_lists",
    "accounts",
    "bulk_checks",
    "bulk_delete",
    "bulk_intake",
    "bulk_jobs",
    "bulk_validator",
    "bulk_warmups",
    "connection_capacity",
    "consents",
    "dead_letters",
    "dns_lookup",
    "domain_lists",
    "domains",
    "env",
    "events",
    "health_checks",
    "health_sweep",
    "health_worker",
    "idempotency_store",
    "native_accounts",
    "oauth_accounts",
    "oauth_apps",
    "rate_limiter",
    "repository",
    "require",
    "reset",
    "signing_key",
    "smartlead_changes",
    "smartlead_deletes",
    "smartlead_ids",
    "smartlead_lists",
    "smartlead_oauth_saves",
    "smartlead_reads",
    "smartlead_reconnects",
    "smartlead_saves",
    "smartlead_stats",
    "stored_accounts",
    "stored_logins",
    "test_emails",
    "updates",
    "vault",
    "warmup_planner",
    "warmup_receiver",
    "warmup_reports",
    "warmup_sender",
    "webhook_dispatcher",
    "webhook_store",
    "webhooks",
]  # fmt: skip
