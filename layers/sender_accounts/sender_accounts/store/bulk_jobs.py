"""Bulk jobs and their rows in the jobs table, with exactly-once effects on an at-least-once queue.

| item | pk          | sk           |
| ---- | ----------- | ------------ |
| job  | JOB#<id>    | JOB          |
| row  | JOB#<id>    | ROW#<00000>  |

A row leaves PENDING exactly once: its final write is a transaction conditioned on
`status = PENDING` that also counts it on the job, so a redelivered message changes nothing.
Both expire through the table's TTL (`expires_at`).
"""

from __future__ import annotations

import base64
import time
from enum import Enum
from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.common.clock import utc_now
from sender_accounts.common.ids import known_form
from sender_accounts.common.model import Model
from sender_accounts.common.statuses import StoredRowStatus
from sender_accounts.errors import DependencyUnavailable, NotFound
from sender_accounts.store.account_ids import AccountIds
from sender_accounts.store.dynamo import Dynamo, cancellation_reasons, deserialize, serialize
from sender_accounts.store.inboxes import inbox_creation, inbox_deletion
from sender_accounts.store.keys import address_key
from sender_accounts.store.records import InboxRecord, JobRecord, RowDecision, RowRecord

JOB_TTL_SECONDS = 7 * 24 * 3600
JOB_SK = "JOB"


def job_key(job_id: str) -> dict[str, str]:
    return {"pk": f"JOB#{job_id}", "sk": JOB_SK}


def row_key(job_id: str, row: int) -> dict[str, str]:
    return {"pk": f"JOB#{job_id}", "sk": f"ROW#{row:05d}"}


def expiry() -> int:
    return int(time.time()) + JOB_TTL_SECONDS


class BulkItemMessage(Model):
    """One queued row: what the validator needs, so it reads nothing before validating.

    The passwords travel only as the KMS ciphertext sealed for this workspace and inbox.
    """

    job_id: str
    workspace_id: str
    row: int
    inbox_id: str
    request: dict[str, Any]
    passwords_ciphertext: str  # base64 of the KMS ciphertext

    @classmethod
    def sealed(cls, ciphertext: bytes, **fields: Any) -> BulkItemMessage:
        return cls(passwords_ciphertext=base64.b64encode(ciphertext).decode(), **fields)

    def ciphertext(self) -> bytes:
        return base64.b64decode(self.passwords_ciphertext)

    def to_json(self) -> str:
        return self.model_dump_json()


class RowOutcome(Enum):
    DONE = "done"
    EFFECT_REFUSED = "effect_refused"
    ALREADY_DONE = "already_done"


class BulkJobStore:
    def __init__(self, dynamodb: Any, jobs_table: str, accounts_table: str) -> None:
        self._db = Dynamo(dynamodb)
        self._jobs = jobs_table
        self._accounts = accounts_table
        self._ids = AccountIds(self._db, accounts_table)

    # Intake ---------------------------------------------------------------------------------

    def addresses_taken(self, workspace_id: str, addresses: list[str]) -> set[str]:
        """Which of `addresses` (lower case) the workspace already has."""
        keys = [address_key(workspace_id, a) for a in addresses]
        found = self._db.batch_get(self._accounts, keys, ("sk",))
        return {item["sk"].removeprefix("ADDRESS#") for item in found}

    def create(self, job: JobRecord, rows: list[RowRecord]) -> None:
        """Rows first, the job last: until the job exists nothing refers to the rows."""
        items = [{**row_key(job.job_id, r.row), **r.item()} for r in rows]
        for start in range(0, len(items), 25):
            pending = [{"PutRequest": {"Item": serialize(i)}} for i in items[start : start + 25]]
            request = {self._jobs: pending}
            for attempt in range(5):
                response = self._db.call("batch_write_item", RequestItems=request)
                request = response.get("UnprocessedItems") or {}
                if not request:
                    break
                time.sleep(0.05 * 2**attempt)
            if request:
                raise DependencyUnavailable("DynamoDB", "batch_write_item: unprocessed items")
        self._db.call(
            "put_item",
            TableName=self._jobs,
            Item=serialize({**job_key(job.job_id), **job.item()}),
            ConditionExpression="attribute_not_exists(pk)",
        )

    # Reads ----------------------------------------------------------------------------------

    def get_job(self, workspace_id: str, job_id: str, job_type: str) -> JobRecord:
        """The job, or NotFound when it is unknown, another workspace's, or of another type."""
        known_form(job_id, "Job")
        response = self._db.call(
            "get_item", TableName=self._jobs, Key=serialize(job_key(job_id)), ConsistentRead=True
        )
        job = (
            JobRecord.model_validate(deserialize(response["Item"])) if "Item" in response else None
        )
        if job is None or job.workspace_id != workspace_id or job.job_type != job_type:
            raise NotFound("Job")
        return job

    def rows(self, job_id: str) -> list[RowRecord]:
        request: dict[str, Any] = {
            "TableName": self._jobs,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :rows)",
            "ExpressionAttributeValues": serialize({":pk": f"JOB#{job_id}", ":rows": "ROW#"}),
            "ProjectionExpression": (
                "#r, email_address, #s, inbox_id, error_code, #e, overall_status, health_score"
            ),
            "ExpressionAttributeNames": {"#r": "row", "#s": "status", "#e": "error"},
            "ConsistentRead": True,
        }
        return [RowRecord.model_validate(item) for item in self._db.query_all(**request)]

    # Progress -------------------------------------------------------------------------------

    def _count(self, job_id: str, outcome_counter: str) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._jobs,
                "Key": serialize(job_key(job_id)),
                # The first counted row also stamps started_at; a job that could not be queued
                # as a whole (FAILED) takes no more rows.
                "UpdateExpression": (
                    f"ADD processed_count :one, {outcome_counter} :one "
                    "SET started_at = if_not_exists(started_at, :now)"
                ),
                "ConditionExpression": "#s <> :failed",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": serialize(
                    {":one": 1, ":now": utc_now(), ":failed": "FAILED"}
                ),
            }
        }

    def _close_row(self, job_id: str, row: int, values: dict[str, Any]) -> dict[str, Any]:
        names = {"#s": "status"}
        sets = ["#s = :status"]
        for name in values:
            if name != "status":
                names[f"#{name}"] = name
                sets.append(f"#{name} = :{name}")
        return {
            "Update": {
                "TableName": self._jobs,
                "Key": serialize(row_key(job_id, row)),
                "UpdateExpression": "SET " + ", ".join(sets),
                "ConditionExpression": "#s = :pending",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": serialize(
                    {":pending": "PENDING", **{f":{k}": v for k, v in values.items()}}
                ),
            }
        }

    def decide_row(
        self,
        job_id: str,
        row: int,
        decision: RowDecision,
        counter: str,
        effects: tuple[dict[str, Any], ...] = (),
    ) -> RowOutcome:
        """Apply a row's `effects`, close the row with `values` and count it under `counter`,
        all or nothing. ALREADY_DONE when the row was decided before (or its job failed),
        EFFECT_REFUSED when one of the effects' own conditions failed."""
        items = [
            *effects,
            self._close_row(job_id, row, decision.item()),
            self._count(job_id, counter),
        ]
        try:
            self._db.call("transact_write_items", TransactItems=items)
        except ClientError as exc:
            reasons = cancellation_reasons(exc)
            if "ConditionalCheckFailed" in reasons[len(effects) :]:
                return RowOutcome.ALREADY_DONE
            if "ConditionalCheckFailed" in reasons[: len(effects)]:
                return RowOutcome.EFFECT_REFUSED
            raise DependencyUnavailable("DynamoDB", "transact_write_items") from None
        return RowOutcome.DONE

    def complete_row_success(
        self, workspace_id: str, job_id: str, row: int, inbox: InboxRecord
    ) -> RowOutcome:
        """Create the inbox with its address guard and integer id; EFFECT_REFUSED means a
        duplicate address."""
        if inbox.account_id is None:
            inbox = inbox.model_copy(update={"account_id": self._ids.allocate()})
        creation = tuple(inbox_creation(self._accounts, workspace_id, inbox))
        values = RowDecision(status=StoredRowStatus.SUCCESS, inbox_id=inbox.inbox_id)
        return self.decide_row(job_id, row, values, "success_count", creation)

    def complete_row_failure(self, job_id: str, row: int, error_code: str, error: str) -> bool:
        """Close the row as failed and count it; False if it was closed before."""
        values = RowDecision(status=StoredRowStatus.FAILED, error_code=error_code, error=error)
        return self.decide_row(job_id, row, values, "failed_count") is RowOutcome.DONE

    def delete_inbox_row(
        self, workspace_id: str, job_id: str, row: int, inbox: InboxRecord
    ) -> RowOutcome:
        """Delete the inbox and its address guard; EFFECT_REFUSED when it is already gone."""
        deletion = tuple(inbox_deletion(self._accounts, workspace_id, inbox))
        return self.decide_row(
            job_id, row, RowDecision(status=StoredRowStatus.DELETED), "deleted_count", deletion
        )

    def finish_if_done(self, job_id: str, now: str) -> JobRecord | None:
        """Mark the job COMPLETED once every row is counted; the job, only for the one caller
        whose update completed it (so the completion event is sent once)."""
        try:
            response = self._db.call(
                "update_item",
                TableName=self._jobs,
                Key=serialize(job_key(job_id)),
                UpdateExpression="SET #s = :completed, completed_at = :now",
                ConditionExpression=(
                    "attribute_exists(pk) AND processed_count = total_rows"
                    " AND #s <> :completed AND #s <> :failed"
                ),
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=serialize(
                    {":completed": "COMPLETED", ":failed": "FAILED", ":now": now}
                ),
                ReturnValues="ALL_NEW",
            )
        except ClientError:
            return None
        return JobRecord.model_validate(deserialize(response["Attributes"]))

    def mark_failed(self, job_id: str, now: str) -> None:
        self._db.call(
            "update_item",
            TableName=self._jobs,
            Key=serialize(job_key(job_id)),
            UpdateExpression="SET #s = :failed, completed_at = :now",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=serialize({":failed": "FAILED", ":now": now}),
        )
