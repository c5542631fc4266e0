"""Steps many API tests share: create an inbox against the test Dovecot, wait for a message at
the relay sink."""

from __future__ import annotations

import time
from email.message import Message
from typing import TYPE_CHECKING, Any

from local_stack.mail_server import MailServer

if TYPE_CHECKING:
    from tests.conftest import ApiClient


def create_inbox(client: ApiClient, server: MailServer, **overrides: Any) -> str:
    """A created inbox's id; the test fails on any other answer than 201."""
    from tests.conftest import smtp_account

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
