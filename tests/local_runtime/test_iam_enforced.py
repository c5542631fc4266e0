"""The local runtime enforces IAM as AWS does: each function holds exactly the permissions
template.yaml (as SAM expands it) gives it, and the emulation refuses anyone else."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import boto3
import pytest
from botocore.exceptions import ClientError

from local_stack.identities import acting_as
from local_stack.runtime import LocalRuntime
from tests.support.stack import PROJECT_ROOT


def _denied_code(call: object) -> str:
    with pytest.raises(ClientError) as raised:
        call()  # type: ignore[operator]
    return str(raised.value.response["Error"]["Code"])


def test_a_request_with_unknown_credentials_is_refused(runtime: LocalRuntime) -> None:
    # Given a client whose key the emulation never issued
    stranger = boto3.client(
        "dynamodb",
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
    # When it reads a table, Then it is refused as AWS refuses an unknown key
    code = _denied_code(
        lambda: stranger.get_item(
            TableName=os.environ["TABLE_NAME"], Key={"pk": {"S": "x"}, "sk": {"S": "y"}}
        )
    )
    assert code == "UnrecognizedClientException"


def test_a_request_signed_with_the_wrong_secret_is_refused(runtime: LocalRuntime) -> None:
    # Given the administrator's key id with a secret that is not its own
    forger = boto3.client(
        "dynamodb",
        aws_access_key_id=runtime.administrator.access_key_id,
        aws_secret_access_key="not-the-secret",
    )
    code = _denied_code(lambda: forger.list_tables())
    assert code == "InvalidSignatureException"


def test_a_function_can_do_only_what_its_policy_says(runtime: LocalRuntime) -> None:
    from sender_accounts.adapters.aws_clients import client

    db, table, key = (
        client("dynamodb"),
        os.environ["TABLE_NAME"],
        {"pk": {"S": "x"}, "sk": {"S": "y"}},
    )
    jobs_table = os.environ["JOBS_TABLE_NAME"]
    # Given the function that reads one inbox: GetItem on the inboxes table, nothing else
    with acting_as("GetSenderAccountFunction"):
        # Then it reads, but cannot write there, read another table, or use the key
        db.get_item(TableName=table, Key=key)
        assert (
            _denied_code(lambda: db.put_item(TableName=table, Item=key)) == "AccessDeniedException"
        )
        assert (
            _denied_code(lambda: db.get_item(TableName=jobs_table, Key=key))
            == "AccessDeniedException"
        )
        kms_denied = _denied_code(
            lambda: client("kms").encrypt(KeyId=os.environ["KMS_KEY_ID"], Plaintext=b"x")
        )
        assert kms_denied == "AccessDeniedException"
    # And the administrator, outside any function, can
    db.put_item(TableName=table, Item=key)
    db.delete_item(TableName=table, Key=key)


def test_a_transaction_needs_each_of_its_actions_on_each_table(runtime: LocalRuntime) -> None:
    from sender_accounts.adapters.aws_clients import client

    db, table = client("dynamodb"), os.environ["TABLE_NAME"]
    item = {"pk": {"S": "iam"}, "sk": {"S": "txn"}}
    # The authorizer may only GetItem: a transaction's Put is refused though GetItem is allowed
    with acting_as("AuthorizerFunction"):
        denied = _denied_code(
            lambda: db.transact_write_items(
                TransactItems=[{"Put": {"TableName": table, "Item": item}}]
            )
        )
    assert denied == "AccessDeniedException"
    assert "Item" not in db.get_item(TableName=table, Key=item)


def test_a_permission_removed_from_the_template_fails_the_request_with_nothing_stored() -> None:
    # Given a copy of template.yaml whose create function lost kms:Encrypt
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.support.iam_probe",
            "CreateSmtpAccountFunction",
            "kms:Encrypt",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # When a mailbox is created (kept even when its servers refuse), Then the request fails as a
    # dependency failure, KMS refused the function, and no inbox was stored
    assert result["status"] == 503, result
    assert result["body"]["error_code"] == "SERVICE_UNAVAILABLE"
    assert any(f.startswith("KMS:") and "AccessDenied" in f for f in result["failures"]), result
    assert result["inboxes"] == 0
