"""Steps many API tests share: create an inbox against the test Dovecot, wait for a message at
the relay sink, wait for a bulk job to finish."""

from __future__ import annotations

import time
from email.message import Message
from typing import TYPE_CHECKING, Any

from local_stack.mail_server import MailServer

if TYPE_CHECKING:
    from tests.support.stack import ApiClient


def create_inbox(client: ApiClient, server: MailServer, **overrides: Any) -> str:
    """A created inbox's id; the test fails on any other answer than 201."""
    from tests.support.stack import smtp_account

    response = client.call("POST", "/sender-accounts/smtp", smtp_account(server, **overrides))
    assert response.status == 201, response.body
    return str(response.json()["inbox_id"])


def delivered(server: MailServer, message_id: str, timeout: float = 10) -> Message:
    """The message with `message_id` once the relay sink has it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in list(server.relay.messages):
            if isinstance(message, Message) and message["Message-ID"] == message_id:
                return message
        time.sleep(0.1)
    raise AssertionError(f"{message_id} never reached the relay")


def finished_job(client: ApiClient, progress_path: str, timeout: float = 90) -> dict[str, Any]:
    """The job at `progress_path` (e.g. /sender-accounts/bulk/check/<id>/progress) once it is
    COMPLETED or FAILED; the test fails if it is neither within `timeout`."""
    deadline = time.monotonic() + timeout
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = client.call("GET", progress_path)
        assert response.status == 200, response.body
        job = dict(response.json()["job"])
        if job["status"] in {"COMPLETED", "FAILED"}:
            return job
        time.sleep(0.2)
    raise AssertionError(f"{progress_path} did not finish: {job}")
