"""What the store takes and gives: typed records, one per stored thing, validated when read.

Statuses and types are read into their enums (common/statuses.py) and stored as their strings.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from sender_accounts.common.job_counters import JobCounters
from sender_accounts.common.model import Model
from sender_accounts.common.statuses import (
    AuthType,
    DomainStatus,
    InboxStatus,
    InboxType,
    JobStatus,
    JobType,
    StoredRowStatus,
    WarmupStatus,
)


class Record(Model):
    model_config = ConfigDict(defer_build=True, extra="ignore")

    def item(self) -> dict[str, Any]:
        """The record as DynamoDB attributes (absent values are not written)."""
        return self.model_dump(exclude_none=True)


class InboxSummary(Record):
    """The attributes a list page reads (a projection of the inbox item)."""

    inbox_id: str
    email_address: str
    display_name: str
    inbox_type: InboxType
    overall_status: InboxStatus
    daily_limit: int
    emails_sent_today: int = 0
    sent_day: str | None = None
    health_score: float = 0
    created_at: str


class ListedInbox(InboxSummary):
    """A list entry: the summary and warm-up's status and reputation, derived from the record
    when it is written (list_index.py)."""

    warmup_status: WarmupStatus = WarmupStatus.INACTIVE
    warmup_reputation: float | None = None


class InboxRecord(InboxSummary):
    """A sender account as stored; its passwords only as KMS ciphertext."""

    email_lower: str
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_username: str | None = None
    smtp_use_tls: bool | None = None
    smtp_security: str | None = None
    imap_host: str | None = None
    imap_port: int | None = None
    imap_username: str | None = None
    imap_use_ssl: bool | None = None
    imap_security: str | None = None
    passwords_ciphertext: bytes | None = None
    domain_id: str | None = None
    # OAuth2 inboxes: the app that refreshes their tokens, the tokens as KMS ciphertext, and
    # the version the conditional rotation of the refresh token checks.
    auth_type: AuthType | None = None
    oauth_app_id: str | None = None
    tokens_ciphertext: bytes | None = None
    token_version: int = 0
    settings: dict[str, Any] = Field(default_factory=dict)
    connection_errors: list[dict[str, Any]] = Field(default_factory=list)
    last_validated_at: str | None = None
    updated_at: str
    # Bumped by every update: the optimistic-concurrency check (timestamps repeat within a
    # second; a revision never does).
    revision: int = 0
    # Monitoring (health/): the last check's answer per protocol and for DNS, its factors.
    smtp_status: dict[str, Any] | None = None
    imap_status: dict[str, Any] | None = None
    dns_status: dict[str, Any] | None = None
    health_factors: list[dict[str, Any]] = Field(default_factory=list)
    consecutive_failures: int = 0
    last_checked_at: str | None = None
    last_success_at: str | None = None
    disconnected_at: str | None = None
    next_check_at: str | None = None
    # Warm-up (warmup/): the two words its messages carry, when its current warm-up began, a
    # safety pause or an unknown spam folder (common/statuses.py WarmupStatus) and why.
    warmup_key_id: str | None = None
    warmup_started_at: str | None = None
    warmup_state: str | None = None
    warmup_pause_reason: str | None = None
    warmup_reputation: float | None = None  # set by the planner each warm-up day
    account_id: int | None = None  # the integer id (account_ids.py), given when stored

    def public(self) -> dict[str, Any]:
        """Every attribute but the secrets."""
        return self.model_dump(exclude={"passwords_ciphertext", "tokens_ciphertext"})


class InboxChanges(Record):
    """What an update may change of an inbox (its identity, type and owner never change): only
    the fields set are written, an explicit None removes the attribute. Unknown names are
    refused, so a misspelt change fails where it is made, not silently in DynamoDB."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    display_name: str | None = None
    daily_limit: int | None = None
    settings: dict[str, Any] | None = None
    overall_status: InboxStatus | None = None
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_username: str | None = None
    smtp_use_tls: bool | None = None
    smtp_security: str | None = None
    imap_host: str | None = None
    imap_port: int | None = None
    imap_username: str | None = None
    imap_use_ssl: bool | None = None
    imap_security: str | None = None
    passwords_ciphertext: bytes | None = None
    tokens_ciphertext: bytes | None = None
    token_version: int | None = None
    connection_errors: list[dict[str, Any]] | None = None
    health_score: float | None = None
    last_validated_at: str | None = None
    smtp_status: dict[str, Any] | None = None
    imap_status: dict[str, Any] | None = None
    dns_status: dict[str, Any] | None = None
    health_factors: list[dict[str, Any]] | None = None
    consecutive_failures: int | None = None
    last_checked_at: str | None = None
    last_success_at: str | None = None
    disconnected_at: str | None = None
    next_check_at: str | None = None
    updated_at: str | None = None
    warmup_state: str | None = None
    warmup_pause_reason: str | None = None

    def fields(self) -> dict[str, Any]:
        """The changed attributes by name (enums as themselves: each is its stored string)."""
        return self.model_dump(exclude_unset=True)


class DomainRecord(Record):
    """A workspace's sending domain; `pending_until` only while ownership is unproven (not
    `expires_at`: TTL must not remove a domain behind the workspace's domain counter)."""

    domain_id: str
    domain: str
    status: DomainStatus
    ownership_token: str
    inbox_count: int = 0
    dkim_tokens: list[str] = Field(default_factory=list)
    pending_until: int | None = None
    created_at: str
    updated_at: str


class OAuthAppRecord(Record):
    """A workspace's OAuth client at Google or Microsoft; its secret only as KMS ciphertext."""

    oauth_app_id: str
    provider: str
    client_id: str
    tenant: str | None = None
    authorize_url: str
    token_url: str
    client_secret_ciphertext: bytes
    inbox_count: int = 0
    created_at: str
    # The mail hosts its inboxes connect to; absent on apps made before they were declared,
    # which use the provider's.
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_security: str | None = None
    imap_host: str | None = None
    imap_port: int | None = None
    imap_security: str | None = None
    # Where its consents may send the browser back; none: https, or http on loopback.
    redirect_uris: list[str] | None = None


class ConsentRecord(Record):
    """A consent in progress, keyed by its state's hash; single use, gone after 10 minutes."""

    workspace_id: str
    oauth_app_id: str
    inbox_type: InboxType
    redirect_uri: str
    verifier_ciphertext: bytes
    request: dict[str, Any] = Field(default_factory=dict)
    expires_at: int
    used_at: str | None = None


class RowDecision(Record):
    """How a job's row ended: what its row item gets when it is closed."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    status: StoredRowStatus
    inbox_id: str | None = None
    error_code: str | None = None
    error: str | None = None
    overall_status: InboxStatus | None = None
    health_score: float | None = None


class JobRecord(Record, JobCounters):
    """A bulk job: its counters are those of its kind (creation, deletion or checks)."""

    job_id: str
    job_type: JobType
    workspace_id: str
    status: JobStatus
    total_rows: int
    processed_count: int = 0
    created_at: str
    started_at: str | None = None
    completed_at: str | None = None
    expires_at: int | None = None


class RowRecord(Record):
    """One row of a bulk job and, once decided, its outcome."""

    row: int
    status: StoredRowStatus
    email_address: str | None = None
    inbox_id: str | None = None
    error_code: str | None = None
    error: str | None = None
    overall_status: InboxStatus | None = None
    health_score: float | None = None
    expires_at: int | None = None
