"""Integer account ids (SmartLead's `account_id`): unique per deployment under concurrent
creation, never reused after a deletion, shown by GET, findable, and given once to inboxes
stored before ids existed."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from tests.support.stack import ApiClient


def _create(client: ApiClient, index: int) -> dict[str, object]:
    body = {
        "email_address": f"numbered{index}@ids.test",
        "display_name": "Numbered",
        "inbox_type": "CUSTOM_SMTP",
        "smtp_host": "127.0.0.1",
        "smtp_port": 9,
        "smtp_username": "numbered",
        "smtp_password": "Numbered-password-1",
        "imap_host": "127.0.0.1",
        "imap_port": 9,
        "imap_username": "numbered",
        "imap_password": "Numbered-password-1",
        "on_validation_failure": "store",  # kept DISABLED: no mail server needed
    }
    response = client.call("POST", "/sender-accounts/smtp", body)
    assert response.status == 201, response.body
    inbox_id = response.json()["inbox_id"]
    return dict(client.call("GET", f"/sender-accounts/{inbox_id}").json())


def test_ids_are_unique_under_concurrent_creation_never_reused_and_found(
    workspace: Callable[..., ApiClient],
) -> None:
    import boto3

    from sender_accounts.store.account_ids import AccountIds
    from sender_accounts.store.dynamo import Dynamo

    one, other = workspace(), workspace()
    # Given inboxes created at once in two workspaces
    with ThreadPoolExecutor(max_workers=8) as pool:
        mine = list(pool.map(lambda i: _create(one, i), range(10)))
        theirs = list(pool.map(lambda i: _create(other, i), range(6)))
    ids = [int(str(inbox["account_id"])) for inbox in mine + theirs]
    # Then every one has its own positive integer id
    assert all(isinstance(inbox["account_id"], int) for inbox in mine + theirs)
    assert min(ids) > 0
    assert len(set(ids)) == len(ids)
    # And an id finds its inbox and its workspace
    found = AccountIds(Dynamo(boto3.client("dynamodb")), os.environ["TABLE_NAME"])
    first = mine[0]
    assert found.find(int(str(first["account_id"]))) == (one.workspace_id, first["inbox_id"])
    # When the newest is deleted and another is created, the id is not given again
    newest = max(mine, key=lambda inbox: int(str(inbox["account_id"])))
    assert one.call("DELETE", f"/sender-accounts/{newest['inbox_id']}").status == 200
    assert found.find(int(str(newest["account_id"]))) is None
    again = _create(one, 99)
    assert int(str(again["account_id"])) > max(ids)


def test_inboxes_stored_before_ids_get_one_once(workspace: Callable[..., ApiClient]) -> None:
    import boto3

    from sender_accounts.store.account_ids import AccountIds
    from sender_accounts.store.dynamo import Dynamo
    from sender_accounts.store.inbox_backfill import StoredInboxBackfill

    client = workspace()
    db, table = boto3.client("dynamodb"), os.environ["TABLE_NAME"]
    stored = _create(client, 1)
    # As an inbox was stored before ids existed: no id, no lookup
    key = {"pk": {"S": f"WS#{client.workspace_id}"}, "sk": {"S": f"INBOX#{stored['inbox_id']}"}}
    db.update_item(TableName=table, Key=key, UpdateExpression="REMOVE account_id")
    db.delete_item(
        TableName=table, Key={"pk": {"S": f"ACCT#{stored['account_id']}"}, "sk": {"S": "ACCT"}}
    )
    assert client.call("GET", f"/sender-accounts/{stored['inbox_id']}").json()["account_id"] is None
    # When the one-off backfill runs (twice)
    assert StoredInboxBackfill(db, table).run() >= 1
    assert StoredInboxBackfill(db, table).run() == 0
    # Then it has a new id, which finds it
    after = client.call("GET", f"/sender-accounts/{stored['inbox_id']}").json()
    assert isinstance(after["account_id"], int)
    assert after["account_id"] != stored["account_id"]
    lookup = AccountIds(Dynamo(db), table).find(after["account_id"])
    assert lookup == (client.workspace_id, stored["inbox_id"])
