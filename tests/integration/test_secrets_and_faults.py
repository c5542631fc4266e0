"""Secrets stay secret everywhere; a KMS failure answers 503 and stores nothing."""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Callable, Iterator

import pytest
from botocore.exceptions import ClientError

from local_stack.mail_server import MailServer
from tests.support.stack import MAILBOX_PASSWORD, MAILBOX_USER, ApiClient, smtp_account


@pytest.fixture
def every_log_line() -> Iterator[io.StringIO]:
    """Everything logged anywhere in the process, at DEBUG, including libraries' loggers."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    service_logger = logging.getLogger("sender-accounts")
    service_logger.addHandler(handler)
    yield stream
    service_logger.removeHandler(handler)
    root.removeHandler(handler)
    root.setLevel(previous)


def test_no_password_or_key_in_responses_or_logs(
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    every_log_line: io.StringIO,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given a workspace that connects, fails, reads and lists, with every log line captured
    client = workspace()
    bodies = []
    for request in (
        smtp_account(mail_server),
        smtp_account(
            mail_server, email_address="b@acme.test", smtp_password=MAILBOX_PASSWORD + "x"
        ),
        smtp_account(
            mail_server, email_address="c@acme.test", imap_password=MAILBOX_PASSWORD + "y"
        ),
        smtp_account(mail_server, email_address="d@acme.test", smtp_port=1),
        {**smtp_account(mail_server), "daily_limit": -1},
    ):
        response = client.call("POST", "/sender-accounts/smtp", request)
        bodies.append(response.body.decode())
    inbox_id = client.call("GET", "/sender-accounts").json()["sender_accounts"][0]["inbox_id"]
    bodies.append(client.call("GET", f"/sender-accounts/{inbox_id}").body.decode())
    # Then neither the passwords (in any spelling) nor the API key appear anywhere
    captured = capsys.readouterr()
    everything = "\n".join([*bodies, every_log_line.getvalue(), captured.out, captured.err])
    assert "connection validation failed" in everything  # the capture did see the logs
    from tests.support.secret_scan import secret_spellings

    for secret in secret_spellings(
        (MAILBOX_USER, password)
        for password in (MAILBOX_PASSWORD, MAILBOX_PASSWORD + "x", MAILBOX_PASSWORD + "y")
    ):
        assert secret not in everything
    assert client.api_key not in everything


def test_passwords_are_stored_only_as_kms_ciphertext(
    mail_server: MailServer, workspace: Callable[..., ApiClient]
) -> None:
    from sender_accounts.adapters.aws_clients import client as aws
    from sender_accounts.store.dynamo import serialize
    from sender_accounts.store.keys import inbox_key

    client = workspace()
    inbox_id = client.call("POST", "/sender-accounts/smtp", smtp_account(mail_server)).json()[
        "inbox_id"
    ]
    raw = aws("dynamodb").get_item(
        TableName=os.environ["TABLE_NAME"], Key=serialize(inbox_key(client.workspace_id, inbox_id))
    )["Item"]
    assert MAILBOX_PASSWORD.encode() not in repr(raw).encode()
    ciphertext = raw["passwords_ciphertext"]["B"]
    kms = aws("kms")
    context = {
        "workspace_id": client.workspace_id,
        "inbox_id": inbox_id,
        "purpose": "mailbox_passwords",
    }
    plain = kms.decrypt(CiphertextBlob=ciphertext, EncryptionContext=context)["Plaintext"]
    assert json.loads(plain) == {"smtp": MAILBOX_PASSWORD, "imap": MAILBOX_PASSWORD}
    # Bound to its inbox: under another inbox's context the ciphertext does not decrypt.
    with pytest.raises(ClientError):
        kms.decrypt(CiphertextBlob=ciphertext, EncryptionContext={**context, "inbox_id": "other"})


def test_kms_failure_is_503_and_stores_nothing(
    mail_server: MailServer,
    workspace: Callable[..., ApiClient],
    settings_env: Callable[[str, str], None],
) -> None:
    # Given a key id that KMS does not know: every Encrypt call fails
    settings_env(
        "KMS_KEY_ID", "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    )
    client = workspace()
    # When a good mailbox is connected
    response = client.call("POST", "/sender-accounts/smtp", smtp_account(mail_server))
    # Then the answer is 503 with Retry-After, and nothing was stored
    assert response.status == 503
    assert response.json()["error_code"] == "SERVICE_UNAVAILABLE"
    assert response.headers["Retry-After"]
    assert client.call("GET", "/sender-accounts").json()["pagination"]["total"] == 0
