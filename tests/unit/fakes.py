"""In-memory stand-ins for the use cases' collaborators: the inbox store, the password vault,
the event bus, the mail validator and transport, the domain store, SES, DNS, the job store and
SQS. Each keeps what it was given so a test can say what happened; none touches a network."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.adapters.password_vault import MailboxPasswords, encryption_context
from sender_accounts.common.events import LifecycleEvent
from sender_accounts.common.statuses import JobStatus, StoredRowStatus, WarmupStatus
from sender_accounts.config import Settings
from sender_accounts.errors import (
    ConcurrentUpdate,
    DomainInUse,
    DuplicateAddress,
    DuplicateDomain,
    NotFound,
    OAuthAppInUse,
)
from sender_accounts.mail.endpoints import MailServerLogin
from sender_accounts.mail.outcome import ErrorCode, StageFailure
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.oauth.apps import OAuthClient
from sender_accounts.oauth.tokens import MailboxTokens, RefreshFailed
from sender_accounts.store.bulk_jobs import RowOutcome
from sender_accounts.store.inbox_lists import Chunk, ListSpec
from sender_accounts.store.records import (
    ConsentRecord,
    DomainRecord,
    InboxChanges,
    InboxRecord,
    JobRecord,
    ListedInbox,
    OAuthAppRecord,
    RowDecision,
    RowRecord,
)

SETTINGS = Settings(mail_step_timeout_seconds=1, validation_deadline_seconds=2)


class FakeInboxStore:
    """The inbox store's contract: address guards, optimistic updates, the daily counter."""

    def __init__(self) -> None:
        self.inboxes: dict[tuple[str, str], InboxRecord] = {}

    def _guarded(self, workspace_id: str) -> set[str]:
        return {i.email_lower for (ws, _), i in self.inboxes.items() if ws == workspace_id}

    def address_taken(self, workspace_id: str, email_address: str) -> bool:
        return email_address.lower() in self._guarded(workspace_id)

    def create_inbox(self, workspace_id: str, inbox: InboxRecord) -> InboxRecord:
        if inbox.email_lower in self._guarded(workspace_id):
            raise DuplicateAddress(inbox.email_address)
        if inbox.account_id is None:
            inbox = inbox.model_copy(update={"account_id": len(self.inboxes) + 1})
        self.inboxes[(workspace_id, inbox.inbox_id)] = inbox
        return inbox

    def get_inbox(self, workspace_id: str, inbox_id: str) -> InboxRecord:
        try:
            return self.inboxes[(workspace_id, inbox_id)].model_copy(deep=True)
        except KeyError:
            raise NotFound() from None

    def delete_inbox(self, workspace_id: str, inbox_id: str) -> InboxRecord:
        inbox = self.get_inbox(workspace_id, inbox_id)
        del self.inboxes[(workspace_id, inbox_id)]
        return inbox

    def update_inbox(
        self, workspace_id: str, before: InboxRecord, update: InboxChanges
    ) -> InboxRecord:
        inbox_id = before.inbox_id
        current = self.get_inbox(workspace_id, inbox_id)
        if current.revision != before.revision:
            raise ConcurrentUpdate()
        changes = {**copy.deepcopy(update.fields()), "revision": before.revision + 1}
        updated = current.model_copy(update=changes)
        self.inboxes[(workspace_id, inbox_id)] = updated
        return updated

    def reserve_send(self, workspace_id: str, inbox_id: str, today: str) -> bool:
        inbox = self.inboxes[(workspace_id, inbox_id)]
        count = inbox.emails_sent_today if inbox.sent_day == today else 0
        if count >= inbox.daily_limit:
            return False
        inbox.emails_sent_today, inbox.sent_day = count + 1, today
        return True

    def release_send(self, workspace_id: str, inbox_id: str, today: str) -> None:
        inbox = self.inboxes[(workspace_id, inbox_id)]
        if inbox.sent_day == today and inbox.emails_sent_today > 0:
            inbox.emails_sent_today -= 1

    def save_tokens(
        self, workspace_id: str, inbox_id: str, ciphertext: bytes, replaced_version: int
    ) -> bool:
        inbox = self.inboxes.get((workspace_id, inbox_id))
        if inbox is None or (inbox.token_version or 0) != replaced_version:
            return False
        inbox.tokens_ciphertext, inbox.token_version = ciphertext, replaced_version + 1
        return True


class FakeInboxLists:
    """The list indexes over a FakeInboxStore, as DynamoDB keeps them: each inbox's index
    attributes (the product's own), its partition per scope, its order per sort key."""

    def __init__(self, store: FakeInboxStore) -> None:
        self.store = store
        self.reads = 0

    def _entries(self, spec: ListSpec) -> list[dict[str, Any]]:
        from sender_accounts.store.keys import inbox_key
        from sender_accounts.store.list_index import index_attributes

        index = spec.index
        entries = []
        for (ws, _), inbox in self.store.inboxes.items():
            entry = {**inbox_key(ws, inbox.inbox_id), **index_attributes(ws, inbox)}
            if entry.get(index.partition_attribute) != index.partition_value:
                continue
            if spec.health_below is not None and inbox.health_score >= spec.health_below:
                continue
            if any(entry["summary"].get(field) != value for field, value in spec.equal):
                continue
            entries.append(entry)
        entries.sort(key=lambda e: e[index.sort_attribute], reverse=not spec.forward)
        return entries

    def page(
        self, spec: ListSpec, limit: int, start: dict[str, Any] | None = None, skip: int = 0
    ) -> Chunk:
        entries = self._entries(spec)
        sort = spec.index.sort_attribute
        if start is not None:
            after = [e for e in entries if (e[sort] > start[sort]) == spec.forward]
            entries = [e for e in after if e[sort] != start[sort]]
        entries = entries[skip:]
        shown = entries[:limit]
        self.reads += len(shown) + skip
        last = {sort: shown[-1][sort]} if len(entries) > limit else None
        items = [ListedInbox.model_validate(e["summary"]) for e in shown]
        return Chunk(items, last, len(shown))

    def merged_page(
        self, specs: list[ListSpec], limit: int, beyond: str | None = None, skip: int = 0
    ) -> Chunk:
        sort, forward = specs[0].index.sort_attribute, specs[0].forward
        entries = sorted(
            (e for spec in specs for e in self._entries(spec)),
            key=lambda e: e[sort],
            reverse=not forward,
        )
        if beyond is not None:
            entries = [e for e in entries if (e[sort] > beyond if forward else e[sort] < beyond)]
        entries = entries[skip:]
        shown = entries[:limit]
        self.reads += len(shown) + skip
        last = {"beyond": shown[-1][sort]} if len(entries) > limit else None
        items = [ListedInbox.model_validate(e["summary"]) for e in shown]
        return Chunk(items, last, len(shown))

    def count(
        self,
        workspace_id: str,
        inbox_type: str | None,
        status: str | None,
        warmup: WarmupStatus | None = None,
    ) -> int:
        from sender_accounts.store.list_index import listed

        return sum(
            1
            for (ws, _), inbox in self.store.inboxes.items()
            if ws == workspace_id
            and (inbox_type is None or inbox.inbox_type == inbox_type)
            and (status is None or inbox.overall_status == status)
            and (warmup is None or listed(inbox).warmup_status == warmup)
        )

    def count_matching(self, specs: list[ListSpec]) -> int:
        return sum(len(self._entries(spec)) for spec in specs)

    def inbox_ids(self, spec: ListSpec, bound: int) -> list[str]:
        from sender_accounts.store.keys import INBOX_PREFIX

        return [e["sk"].removeprefix(INBOX_PREFIX) for e in self._entries(spec)[:bound]]

    def count_below(self, workspace_id: str, health_below: int) -> int:
        return sum(
            1
            for (ws, _), inbox in self.store.inboxes.items()
            if ws == workspace_id and inbox.health_score < health_below
        )


class FakeInboxSearch:
    """The address search keys over a FakeInboxStore: every inbox whose address contains it."""

    def __init__(self, store: FakeInboxStore) -> None:
        self.store = store

    def matching(self, workspace_id: str, text: str, bound: int) -> tuple[list[ListedInbox], int]:
        from sender_accounts.store.list_index import listed

        found = [
            listed(inbox)
            for (ws, _), inbox in self.store.inboxes.items()
            if ws == workspace_id and text.lower() in inbox.email_lower
        ][:bound]
        return found, len(found)


class FakeVault:
    """Seals by reversing JSON of the secrets and their context: not secret, only
    distinguishable; opening under another context fails as KMS does."""

    def __init__(self) -> None:
        self.opened = 0

    def seal(self, passwords: MailboxPasswords, workspace_id: str, inbox_id: str) -> bytes:
        secrets = {"smtp": passwords.smtp, "imap": passwords.imap}
        return self.seal_secrets(secrets, encryption_context(workspace_id, inbox_id))

    def open(self, ciphertext: bytes, workspace_id: str, inbox_id: str) -> MailboxPasswords:
        opened = self.open_secrets(ciphertext, encryption_context(workspace_id, inbox_id))
        return MailboxPasswords(smtp=opened["smtp"], imap=opened["imap"])

    def seal_secrets(self, secrets: dict[str, Any], context: dict[str, str]) -> bytes:
        return json.dumps({"context": context, "secrets": secrets}).encode()[::-1]

    def open_secrets(self, ciphertext: bytes, context: dict[str, str]) -> dict[str, Any]:
        self.opened += 1
        sealed = json.loads(ciphertext[::-1])
        assert sealed["context"] == context, "opened under another context"
        return dict(sealed["secrets"])


@dataclass
class FakeEvents:
    """The bus as integrators read it: (detail type, detail as sent)."""

    published: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def publish(self, event: LifecycleEvent) -> None:
        self.publish_all([event])

    def publish_all(self, events: Sequence[LifecycleEvent]) -> None:
        self.published.extend((event.detail_type, event.event_detail()) for event in events)

    def types(self) -> list[str]:
        return [name for name, _ in self.published]


@dataclass
class FakeValidator:
    """Answers every validation with the failures it is told to; remembers the logins."""

    failures: list[StageFailure] = field(default_factory=list)
    logins: list[tuple[MailServerLogin, MailServerLogin]] = field(default_factory=list)

    async def __call__(
        self,
        smtp: MailServerLogin,
        imap: MailServerLogin,
        policy: OutboundPolicy,
        step_timeout: float,
        deadline: float,
    ) -> list[StageFailure]:
        self.logins.append((smtp, imap))
        return list(self.failures)


def auth_failure(stage: str = "smtp") -> StageFailure:
    return StageFailure(stage, ErrorCode.AUTH_FAILED, f"{stage.upper()} connection failed")


@dataclass
class FakeTransport:
    """Delivers into a list, or fails with the error it is given."""

    error: BaseException | None = None
    sent: list[tuple[MailServerLogin, EmailMessage, list[str]]] = field(default_factory=list)

    async def __call__(
        self,
        login: MailServerLogin,
        message: EmailMessage,
        recipients: list[str],
        policy: OutboundPolicy,
        step_timeout: float,
    ) -> None:
        if self.error is not None:
            raise self.error
        self.sent.append((login, message, recipients))


@dataclass
class FakeSes:
    """Verification statuses by domain, as SES reports them; raw sends kept."""

    statuses: dict[str, str] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def verify_domain_identity(self, Domain: str) -> dict[str, Any]:  # noqa: N803
        self.statuses.setdefault(Domain, "Pending")
        return {"VerificationToken": "token"}

    def verify_domain_dkim(self, Domain: str) -> dict[str, Any]:  # noqa: N803
        return {"DkimTokens": ["a1", "b2", "c3"]}

    def get_identity_verification_attributes(self, Identities: list[str]) -> dict[str, Any]:  # noqa: N803
        return {
            "VerificationAttributes": {
                name: {"VerificationStatus": self.statuses[name]}
                for name in Identities
                if name in self.statuses
            }
        }

    def delete_identity(self, Identity: str) -> dict[str, Any]:  # noqa: N803
        self.deleted.append(Identity)
        self.statuses.pop(Identity, None)
        return {}

    def send_raw_email(self, **request: Any) -> dict[str, Any]:
        self.sent.append(request)
        return {"MessageId": "ses-1"}


class FakeDomainStore:
    """The domain store's contract: one registration per workspace, one owner per name."""

    def __init__(self) -> None:
        self.domains: dict[tuple[str, str], DomainRecord] = {}
        self.owners: dict[str, str] = {}

    def register(self, workspace_id: str, item: DomainRecord) -> None:
        if any(
            ws == workspace_id and d.domain == item.domain for (ws, _), d in self.domains.items()
        ):
            raise DuplicateDomain(item.domain)
        self.domains[(workspace_id, item.domain_id)] = item

    def take_ownership(self, workspace_id: str, item: DomainRecord) -> bool:
        current = self.domains[(workspace_id, item.domain_id)]
        if item.domain in self.owners or current.status != "PENDING":
            return False
        self.owners[item.domain] = workspace_id
        self.domains[(workspace_id, item.domain_id)] = current.model_copy(
            update={"status": "DNS_PENDING", "pending_until": None}
        )
        return True

    def release_ownership(self, domain: str) -> None:
        self.owners.pop(domain, None)

    def set(self, workspace_id: str, domain_id: str, values: dict[str, Any]) -> DomainRecord:
        updated = self.domains[(workspace_id, domain_id)].model_copy(update=values)
        self.domains[(workspace_id, domain_id)] = updated
        return updated

    def get(self, workspace_id: str, domain_id: str) -> DomainRecord | None:
        return self.domains.get((workspace_id, domain_id))

    def delete(self, workspace_id: str, item: DomainRecord, owned: bool) -> None:
        if self.domains[(workspace_id, item.domain_id)].inbox_count:
            raise DomainInUse(item.inbox_count)
        del self.domains[(workspace_id, item.domain_id)]
        if owned:
            self.owners.pop(item.domain, None)


@dataclass
class FakeDns:
    """TXT answers by name; None stands for a resolver that did not answer."""

    records: dict[str, list[str]] = field(default_factory=dict)
    down: bool = False

    def txt(self, name: str) -> list[str] | None:
        if self.down:
            return None
        return self.records.get(name, [])


def condition_failure() -> ClientError:
    return ClientError(
        {"Error": {"Code": "ConditionalCheckFailedException", "Message": "no"}}, "UpdateItem"
    )


class FakeJobs:
    """The job store's contract: rows decided once with their effect (an inbox created or
    deleted in the FakeInboxStore), counted on their job; a job completes once."""

    def __init__(self, taken: set[str] | None = None, store: FakeInboxStore | None = None) -> None:
        self.taken = taken or set()
        self.store = store
        self.jobs: dict[str, JobRecord] = {}
        self.row_records: dict[tuple[str, int], RowRecord] = {}
        self.deleted: list[str] = []

    def addresses_taken(self, workspace_id: str, addresses: list[str]) -> set[str]:
        return {a for a in addresses if a in self.taken}

    def create(self, job: JobRecord, rows: list[RowRecord]) -> None:
        self.jobs[job.job_id] = job.model_copy()
        for row in rows:
            self.row_records[(job.job_id, row.row)] = row.model_copy()

    def get_job(self, workspace_id: str, job_id: str, job_type: str) -> JobRecord:
        job = self.jobs.get(job_id)
        if job is None or job.workspace_id != workspace_id or job.job_type != job_type:
            raise NotFound("Job")
        return job.model_copy()

    def rows(self, job_id: str) -> list[RowRecord]:
        keys = sorted(k for k in self.row_records if k[0] == job_id)
        return [self.row_records[k].model_copy() for k in keys]

    def mark_failed(self, job_id: str, now: str) -> None:
        self.jobs[job_id].status, self.jobs[job_id].completed_at = JobStatus.FAILED, now

    def decide_row(
        self,
        job_id: str,
        row: int,
        decision: RowDecision,
        counter: str,
        effects: tuple[dict[str, Any], ...] = (),
    ) -> RowOutcome:
        job, record = self.jobs[job_id], self.row_records[(job_id, row)]
        if record.status != "PENDING" or job.status == "FAILED":
            return RowOutcome.ALREADY_DONE
        self.row_records[(job_id, row)] = record.model_copy(update=decision.item())
        job.processed_count += 1
        setattr(job, counter, (getattr(job, counter) or 0) + 1)
        return RowOutcome.DONE

    def _pending(self, job_id: str, row: int) -> bool:
        job, record = self.jobs[job_id], self.row_records[(job_id, row)]
        return record.status == "PENDING" and job.status != "FAILED"

    def complete_row_success(
        self, workspace_id: str, job_id: str, row: int, inbox: InboxRecord
    ) -> RowOutcome:
        if not self._pending(job_id, row):
            return RowOutcome.ALREADY_DONE
        try:
            if self.store is not None:  # the same transaction creates the inbox
                self.store.create_inbox(workspace_id, inbox)
        except DuplicateAddress:
            return RowOutcome.EFFECT_REFUSED
        values = RowDecision(status=StoredRowStatus.SUCCESS, inbox_id=inbox.inbox_id)
        return self.decide_row(job_id, row, values, "success_count")

    def complete_row_failure(self, job_id: str, row: int, error_code: str, error: str) -> bool:
        values = RowDecision(status=StoredRowStatus.FAILED, error_code=error_code, error=error)
        return self.decide_row(job_id, row, values, "failed_count") is RowOutcome.DONE

    def delete_inbox_row(
        self, workspace_id: str, job_id: str, row: int, inbox: InboxRecord
    ) -> RowOutcome:
        if not self._pending(job_id, row):
            return RowOutcome.ALREADY_DONE
        if self.store is not None:  # the same transaction deletes the inbox
            try:
                self.store.delete_inbox(workspace_id, inbox.inbox_id)
            except NotFound:
                return RowOutcome.EFFECT_REFUSED
        self.deleted.append(inbox.inbox_id)
        return self.decide_row(
            job_id, row, RowDecision(status=StoredRowStatus.DELETED), "deleted_count"
        )

    def finish_if_done(self, job_id: str, now: str) -> JobRecord | None:
        job = self.jobs.get(job_id)
        if job is None or job.status in ("COMPLETED", "FAILED"):
            return None
        if job.processed_count != job.total_rows:
            return None
        job.status, job.completed_at = JobStatus.COMPLETED, now
        return job.model_copy()


@dataclass
class FakeSqs:
    """Accepts every message, or fails the ids it is told to, every time."""

    failing: set[str] = field(default_factory=set)
    messages: list[str] = field(default_factory=list)

    def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, str]]) -> dict[str, Any]:  # noqa: N803
        failed = [{"Id": e["Id"]} for e in Entries if e["Id"] in self.failing]
        self.messages.extend(e["MessageBody"] for e in Entries if e["Id"] not in self.failing)
        return {"Failed": failed}


@dataclass
class FakeTokens:
    """An OAuth2 inbox's tokens as the token source gives them: fixed, or refused."""

    access_token: str = "access-token-1"
    refused: StageFailure | None = None
    uses: int = 0

    def usable(self, workspace_id: str, inbox: InboxRecord) -> MailboxTokens:
        self.uses += 1
        if self.refused is not None:
            raise RefreshFailed(self.refused)
        return MailboxTokens(self.access_token, "refresh-token-1", 2**40)

    def app_hosts(self, workspace_id: str, inbox: InboxRecord) -> dict[str, Any]:
        return {
            "smtp_host": "smtp.provider.test", "smtp_port": 587, "smtp_security": "starttls",
            "imap_host": "imap.provider.test", "imap_port": 993, "imap_security": "ssl",
        }  # fmt: skip


@dataclass
class FakeRenewal:
    """An OAuth2 inbox's new token, renewed as it is told: the changes to store, or a refusal."""

    changes: dict[str, Any] = field(default_factory=lambda: {"token_version": 9})
    refused: Exception | None = None
    calls: list[tuple[str, str]] = field(default_factory=list)

    def renewed(
        self, workspace_id: str, inbox: InboxRecord, token: Any, overrides: dict[str, Any]
    ) -> dict[str, Any]:
        self.calls.append((workspace_id, inbox.inbox_id))
        if self.refused is not None:
            raise self.refused
        return dict(self.changes)


@dataclass
class FakeZone:
    """DNS answers by (name, type); a name not listed has none; `down`: no answer at all."""

    answers: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    down: bool = False
    asked: list[tuple[str, str]] = field(default_factory=list)

    def records(self, name: str, rdtype: str) -> list[str] | None:
        self.asked.append((name, rdtype))
        return None if self.down else self.answers.get((name, rdtype), [])


def healthy_zone(domain: str = "acme.test", selector: str = "s1") -> FakeZone:
    """A domain publishing MX, SPF, DMARC and a DKIM key at `selector`."""
    return FakeZone(
        {
            (domain, "MX"): [f"10 mx.{domain}."],
            (domain, "TXT"): ["v=spf1 include:_spf.provider.test -all"],
            (f"_dmarc.{domain}", "TXT"): ["v=DMARC1; p=reject"],
            (f"{selector}._domainkey.{domain}", "TXT"): ["v=DKIM1; k=rsa; p=MIIBIjANBgkq"],
        }
    )


@dataclass
class FakeDomainHealth:
    """A native inbox's domain status (ACTIVE, PENDING, FAILED, ...) and SES's DKIM."""

    status: str = "ACTIVE"
    dkim: bool | None = True

    def domain_status(self, workspace_id: str, domain_id: str) -> tuple[str, bool | None]:
        return self.status, self.dkim


class FakeOAuthAppStore:
    """A workspace's OAuth apps; an app some inbox of `inboxes` uses cannot be deleted."""

    def __init__(self, inboxes: FakeInboxStore | None = None) -> None:
        self.apps: dict[tuple[str, str], OAuthAppRecord] = {}
        self.inboxes = inboxes

    def create(self, workspace_id: str, app: OAuthAppRecord) -> None:
        self.apps[(workspace_id, app.oauth_app_id)] = app

    def get(self, workspace_id: str, oauth_app_id: str) -> OAuthAppRecord:
        app = self.apps.get((workspace_id, oauth_app_id))
        if app is None:
            raise NotFound("OAuth app")
        users = [
            inbox
            for (ws, _), inbox in (self.inboxes.inboxes.items() if self.inboxes else [])
            if ws == workspace_id and inbox.oauth_app_id == oauth_app_id
        ]
        return app.model_copy(update={"inbox_count": len(users)})

    def list(self, workspace_id: str) -> list[OAuthAppRecord]:
        return [self.get(ws, app_id) for (ws, app_id) in self.apps if ws == workspace_id]

    def delete(self, workspace_id: str, oauth_app_id: str) -> OAuthAppRecord:
        app = self.get(workspace_id, oauth_app_id)
        if app.inbox_count:
            raise OAuthAppInUse(app.inbox_count)
        del self.apps[(workspace_id, oauth_app_id)]
        return app


class FakeConsentStore:
    """Consents by state hash, claimed once before they expire."""

    def __init__(self) -> None:
        self.consents: dict[str, ConsentRecord] = {}

    def put(self, state_hash: str, consent: ConsentRecord) -> None:
        assert state_hash not in self.consents
        self.consents[state_hash] = consent

    def claim(self, state_hash: str, now: int, used_at: str) -> tuple[ConsentRecord, bool]:
        consent = self.consents.get(state_hash)
        if consent is None:
            raise NotFound("Consent")
        if consent.used_at is not None or consent.expires_at <= now:
            return consent, False
        consent.used_at = used_at
        return consent, True


@dataclass
class FakeTokenEndpoint:
    """A provider's token endpoint: refreshes rotate the access token; a refresh token in
    `revoked` answers invalid_grant; codes exchange for tokens and an ID token for `email`."""

    email: str | None = "oauth.sender@acme.test"
    revoked: set[str] = field(default_factory=set)
    refreshed: list[str] = field(default_factory=list)
    exchanged: list[tuple[str, str, str]] = field(default_factory=list)

    def refresh(self, client: OAuthClient, refresh_token: str) -> MailboxTokens:
        if refresh_token in self.revoked:
            failure = StageFailure("oauth", ErrorCode.AUTH_FAILED, "invalid_grant: revoked")
            raise RefreshFailed(failure)
        self.refreshed.append(refresh_token)
        return MailboxTokens(f"access-{len(self.refreshed)}", refresh_token, 2**40)

    def exchange_code(
        self, client: OAuthClient, code: str, verifier: str, redirect_uri: str
    ) -> tuple[MailboxTokens, str | None]:
        self.exchanged.append((code, verifier, redirect_uri))
        if code == "refused":
            failure = StageFailure("oauth", ErrorCode.AUTH_FAILED, "invalid_grant: bad code")
            raise RefreshFailed(failure)
        claims = {} if self.email is None else {"email": self.email}
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
        return MailboxTokens("access-consent", "refresh-consent", 2**40), f"e30.{payload}.sig"
