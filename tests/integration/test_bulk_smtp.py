"""Bulk SMTP creation through SQS: exact counts, exactly-once effects, no job ever stuck."""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Callable
from typing import Any

import pytest

from local_stack.functions import invoke
from local_stack.mail_server import MailServer
from local_stack.ports import free_port
from local_stack.pump import sqs_event
from local_stack.runtime import LocalRuntime
from tests.support.bus_tap import bus_tap
from tests.support.inboxes import finished_job
from tests.support.stack import MAILBOX_PASSWORD, ApiClient, smtp_account


def wait_for_completion(client: ApiClient, job_id: str, timeout: float = 90) -> dict[str, Any]:
    return finished_job(client, f"/sender-accounts/smtp/bulk/{job_id}/progress", timeout)


def test_mixed_job_completes_with_exact_counts(
    runtime: LocalRuntime, mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    # Given a workspace that already has one address, and an event tap on the bus
    client = workspace()
    tap = bus_tap(f"tap-{client.workspace_id[-8:]}")
    existing = smtp_account(mail_server, email_address="existing@acme.test")
    assert client.call("POST", "/sender-accounts/smtp", existing).status == 201
    inboxes = [
        smtp_account(mail_server, email_address="good1@acme.test"),
        smtp_account(mail_server, email_address="good2@acme.test"),
        smtp_account(mail_server, email_address="badpass@acme.test", smtp_password="wrong"),
        smtp_account(mail_server, email_address="closed@acme.test", imap_port=free_port()),
        smtp_account(mail_server, email_address="GOOD1@acme.test"),
        smtp_account(mail_server, email_address="existing@acme.test"),
        smtp_account(mail_server, email_address="good3@acme.test"),
    ]
    # When they are submitted as one job
    accepted = client.call("POST", "/sender-accounts/smtp/bulk", {"inboxes": inboxes})
    assert accepted.status == 202, accepted.body
    body = accepted.json()
    assert body["status"] == "PENDING"
    assert body["total_rows"] == 7
    job = wait_for_completion(client, body["job_id"])
    # Then every row has its exact outcome
    assert job["status"] == "COMPLETED"
    assert (job["total_rows"], job["processed_count"]) == (7, 7)
    assert (job["success_count"], job["failed_count"]) == (3, 4)
    assert job["progress_percentage"] == 100.0
    assert job["started_at"]
    assert job["completed_at"]
    results = {r["row"]: r for r in job["results"]}
    assert [results[i]["status"] for i in range(7)] == [
        "SUCCESS", "SUCCESS", "FAILED", "FAILED", "FAILED", "FAILED", "SUCCESS",
    ]  # fmt: skip
    assert results[2]["error_code"] == "AUTH_FAILED"
    assert results[3]["error_code"] == "CONNECTION_FAILED"
    assert results[4]["error_code"] == "DUPLICATE"
    assert results[5]["error_code"] == "DUPLICATE"
    for row in (0, 1, 6):
        inbox = client.call("GET", f"/sender-accounts/{results[row]['inbox_id']}")
        assert inbox.status == 200
        assert inbox.json()["overall_status"] == "ACTIVE"
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 4
    # Only rows whose inbox exists name one
    assert all(r.get("inbox_id") is None for r in results.values() if r["status"] != "SUCCESS")
    assert MAILBOX_PASSWORD not in json.dumps(job)
    # And the bus saw one completion and one creation per inbox
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not tap.of_type("BulkJobCompleted"):
        time.sleep(0.2)
    published = tap.drain()
    completions = [e for e in published if e["detail-type"] == "BulkJobCompleted"]
    assert len(completions) == 1
    assert completions[0]["detail"]["success_count"] == 3
    created = [e for e in published if e["detail-type"] == "SenderAccountCreated"]
    assert len([e for e in created if e["detail"].get("job_id") == body["job_id"]]) == 3


def _side_job(
    runtime: LocalRuntime, client: ApiClient, inboxes: list[dict[str, Any]]
) -> tuple[str, list[dict[str, Any]]]:
    """A job whose messages go to a queue no consumer reads, so a test can deliver them."""
    from sender_accounts.adapters.aws_clients import client as aws
    from sender_accounts.bulk.intake import BulkIntakeService
    from sender_accounts.bulk.models import BulkCreateSmtpAccountsRequest
    from sender_accounts.composition import bulk_jobs, events, vault

    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=f"side-{client.workspace_id[-12:]}")["QueueUrl"]
    intake = BulkIntakeService(bulk_jobs.get(), vault.get(), sqs, url, events.get())
    request = BulkCreateSmtpAccountsRequest.model_validate({"inboxes": inboxes})
    job_id = intake.create_job(client.workspace_id, request).job_id
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return job_id, messages


def test_message_delivered_twice_changes_nothing(
    runtime: LocalRuntime, mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    # Given a one-row job whose message is delivered twice in one batch, then once more later
    client = workspace()
    job_id, messages = _side_job(runtime, client, [smtp_account(mail_server)])
    assert len(messages) == 1
    twice = [messages[0], {**messages[0], "MessageId": "redelivered"}]
    template = runtime.stack.template
    first = invoke(template, "BulkValidatorFunction", sqs_event(twice, "arn:side"))
    again = invoke(template, "BulkValidatorFunction", sqs_event(messages, "arn:side"))
    # Then it succeeded, counted once, and made one inbox
    assert first == {"batchItemFailures": []}
    assert again == {"batchItemFailures": []}
    job = wait_for_completion(client, job_id, timeout=5)
    assert (job["processed_count"], job["success_count"], job["failed_count"]) == (1, 1, 0)
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 1


def test_poison_message_ends_in_the_dead_letter_queue_and_the_job_completes(
    runtime: LocalRuntime, mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    from sender_accounts.adapters.aws_clients import client as aws

    # Given a two-row job where row 1's sealed passwords no longer open (a poison message)
    client = workspace()
    inboxes = [
        smtp_account(mail_server, email_address="fine@acme.test"),
        smtp_account(mail_server, email_address="poison@acme.test"),
    ]
    job_id, messages = _side_job(runtime, client, inboxes)
    bodies = sorted((json.loads(m["Body"]) for m in messages), key=lambda b: b["row"])
    bodies[1]["passwords_ciphertext"] = base64.b64encode(b"not a kms ciphertext").decode()
    # When its messages reach the real queue, whose consumer retries and then dead-letters
    sqs = aws("sqs")
    for body in bodies:
        sqs.send_message(QueueUrl=os.environ["BULK_QUEUE_URL"], MessageBody=json.dumps(body))
    # Then the job completes, the poison row failed as PROCESSING_FAILED, the other created
    job = wait_for_completion(client, job_id, timeout=120)
    results = {r["row"]: r for r in job["results"]}
    assert results[0]["status"] == "SUCCESS"
    assert results[1]["status"] == "FAILED"
    assert results[1]["error_code"] == "PROCESSING_FAILED"
    assert (job["success_count"], job["failed_count"]) == (1, 1)


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"inboxes": []}, ["body", "inboxes"]),
        ({}, ["body", "inboxes"]),
    ],
)
def test_intake_rejects_bad_shapes(
    workspace: Callable[..., ApiClient], body: dict[str, Any], location: list[Any]
) -> None:
    response = workspace().call("POST", "/sender-accounts/smtp/bulk", body)
    assert response.status == 422
    assert location in [p["loc"][:2] for p in response.json()["detail"]]


def test_intake_names_row_and_field_and_queues_nothing(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    from sender_accounts.adapters.aws_clients import client as aws

    client = workspace()
    too_many = {
        "inboxes": [smtp_account(mail_server, email_address=f"x{i}@acme.test") for i in range(101)]
    }
    assert client.call("POST", "/sender-accounts/smtp/bulk", too_many).status == 422
    inboxes = [smtp_account(mail_server, email_address=f"r{i}@acme.test") for i in range(5)]
    inboxes[3]["smtp_port"] = 70000

    def queued() -> dict[str, str]:
        attributes = aws("sqs").get_queue_attributes(
            QueueUrl=os.environ["BULK_QUEUE_URL"],
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )
        return dict(attributes["Attributes"])

    before = queued()
    response = client.call("POST", "/sender-accounts/smtp/bulk", {"inboxes": inboxes})
    assert response.status == 422
    assert ["body", "inboxes", 3, "smtp_port"] in [p["loc"] for p in response.json()["detail"]]
    assert queued() == before


def test_another_workspaces_job_is_404(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    owner, stranger = workspace(), workspace()
    accepted = owner.call(
        "POST", "/sender-accounts/smtp/bulk", {"inboxes": [smtp_account(mail_server)]}
    )
    job_id = accepted.json()["job_id"]
    response = stranger.call("GET", f"/sender-accounts/smtp/bulk/{job_id}/progress")
    assert response.status == 404
    assert response.json() == {"detail": "Job not found", "error_code": "NOT_FOUND"}
    malformed = stranger.call("GET", "/sender-accounts/smtp/bulk/unknown/progress")
    assert malformed.status == 404
    assert malformed.json()["detail"] == "Job not found: the id is malformed (a UUID is expected)"
    wait_for_completion(owner, job_id)
