"""The sample workspace the events/ samples act in, seeded at every start of the local stack.

A sample that names an item (GET /webhooks/{id}, a delivery's retry, a bulk job's progress)
finds it here, so `sam local invoke -e events/<file>.json` against `make serve` runs the
function's success path, not a 404. Each sample that changes or removes a webhook names its own
(update, delete, rotate, test), so the samples can run in any order, or all at once, and each
still succeeds. Seeding again puts the webhooks back as they were (a deleted sample webhook
returns at the next start, one the create sample registered is removed); the jobs and the
delivery, which the samples only read or retry, are added when missing (a retried delivery
keeps its attempts).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from .sample_accounts import seed_sample_accounts

SAMPLE_WORKSPACE = "ws_sample"
SAMPLE_URL = "http://127.0.0.1:8080/hooks/sender-accounts"
SAMPLE_EVENTS = ["sender_account.disconnected", "sender_account.reconnected"]
SAMPLE_TIME = "2026-11-25T12:00:00Z"


@dataclass(frozen=True)
class SampleWebhook:
    webhook_id: str
    description: str


# The webhook the read-only samples (get, deliveries, retry, the delivery worker) name, and one
# per sample that changes its webhook.
WEBHOOK = SampleWebhook("6f1c2a9e-0b7d-4c55-9a3e-1d2f3a4b5c6d", "Alerts to the ops channel")
WEBHOOKS = (
    WEBHOOK,
    SampleWebhook("6f1c2a9e-0b7d-4c55-9a3e-1d2f3a4b5c01", "The update sample's webhook"),
    SampleWebhook("6f1c2a9e-0b7d-4c55-9a3e-1d2f3a4b5c02", "The delete sample's webhook"),
    SampleWebhook("6f1c2a9e-0b7d-4c55-9a3e-1d2f3a4b5c03", "The rotate-secret sample's webhook"),
    SampleWebhook("6f1c2a9e-0b7d-4c55-9a3e-1d2f3a4b5c04", "The test sample's webhook"),
)
DELIVERY_ID = "01a24430-0000-7000-8000-000000000001"


# One finished bulk job of each kind, for the progress samples, each of one row naming an inbox
# the workspace does not have (the validator's sample names another job, which stays unknown).
SKIPPED = {"skipped_count": 0}  # the jobs over listed ids count rows listed twice
CHECKED = {"healthy_count": 0, "unhealthy_count": 0}
JOBS = {
    "BULK_SMTP_CREATE": ("4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f0001", {"success_count": 0}),
    "BULK_DELETE": ("4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f0002", {"deleted_count": 0, **SKIPPED}),
    "BULK_CHECK": ("4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f0003", {**CHECKED, **SKIPPED}),
    "BULK_WARMUP": ("4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f0004", {"success_count": 0, **SKIPPED}),
}
MISSING_INBOX = "9b1c3e52-3f0a-4a8e-8f1e-2d7c9a6b5e40"


def seed_sample_workspace() -> None:
    """Puts every sample item back as the samples expect it (idempotent)."""
    seed_sample_accounts(SAMPLE_WORKSPACE)
    _seed_webhooks()
    _seed_jobs()


def _seed_jobs() -> None:
    from botocore.exceptions import ClientError

    from sender_accounts.composition import bulk_jobs
    from sender_accounts.store.bulk_jobs import expiry
    from sender_accounts.store.dynamo import is_condition_failure
    from sender_accounts.store.records import JobRecord, RowRecord

    store = bulk_jobs.get()
    for job_type, (job_id, counters) in JOBS.items():
        job = JobRecord.model_validate({
            "job_id": job_id, "job_type": job_type, "workspace_id": SAMPLE_WORKSPACE,
            "status": "COMPLETED", "total_rows": 1, "processed_count": 1, "failed_count": 1,
            "created_at": SAMPLE_TIME, "completed_at": SAMPLE_TIME, "expires_at": expiry(),
            **counters,
        })  # fmt: skip
        failure = (
            {"email_address": "outreach@company.test", "error_code": "CONNECTION_FAILED",
             "error": "SMTP: the server could not be reached"}
            if job_type == "BULK_SMTP_CREATE"
            else {"inbox_id": MISSING_INBOX, "error_code": "NOT_FOUND",
                  "error": "Sender account not found"}
        )  # fmt: skip
        row = RowRecord.model_validate(
            {"row": 0, "status": "FAILED", "expires_at": expiry(), **failure}
        )
        try:
            store.create(job, [row])
        except ClientError as exc:  # there from an earlier start: the samples only read it
            if not is_condition_failure(exc):
                raise


def _seed_webhooks() -> None:
    from sender_accounts.common.clock import utc_now
    from sender_accounts.composition import vault, webhook_store
    from sender_accounts.errors import NotFound
    from sender_accounts.store.webhooks import DeliveryRecord, WebhookRecord
    from sender_accounts.webhooks.catalog import body_for
    from sender_accounts.webhooks.signing import new_secret, secrets_context

    store = webhook_store.get()
    # What the create sample registered goes: otherwise each run of it adds an endpoint the
    # delivery worker's sample then delivers to, and that sample's work grows with every run.
    kept = {sample.webhook_id for sample in WEBHOOKS}
    for webhook in store.all(SAMPLE_WORKSPACE):
        if webhook.webhook_id not in kept:
            store.delete(SAMPLE_WORKSPACE, webhook.webhook_id)
    for sample in WEBHOOKS:
        context = secrets_context(SAMPLE_WORKSPACE, sample.webhook_id)
        sealed = vault.get().seal_secrets({"current": new_secret()}, context)
        # Only the first is told of the delivery worker's sample (a disconnect)
        events = SAMPLE_EVENTS if sample == WEBHOOK else ["domain.status_changed"]
        record = WebhookRecord(
            webhook_id=sample.webhook_id, url=SAMPLE_URL, events=events,
            description=sample.description, secrets_ciphertext=sealed,
            created_at=SAMPLE_TIME, updated_at=SAMPLE_TIME,
        )  # fmt: skip
        with contextlib.suppress(NotFound):  # not there yet: the first start
            store.delete(SAMPLE_WORKSPACE, sample.webhook_id)
        store.create(SAMPLE_WORKSPACE, record)
    data = {"workspace_id": SAMPLE_WORKSPACE, "inbox_id": "9b1c3e52-3f0a-4a8e-8f1e-2d7c9a6b5e40"}
    store.add_delivery(
        SAMPLE_WORKSPACE,
        DeliveryRecord(
            delivery_id=DELIVERY_ID,
            webhook_id=WEBHOOK.webhook_id,
            event_type="sender_account.disconnected",
            body=body_for("standard", "sender_account.disconnected", SAMPLE_TIME, data),
            created_at=utc_now(),
            status="failed",
        ),
    )
