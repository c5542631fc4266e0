"""The local emulation keeps DynamoDB's transaction semantics after its speed-up."""

from __future__ import annotations

import os

import pytest
from botocore.exceptions import ClientError

from local_stack.runtime import LocalRuntime


def test_failed_transaction_leaves_every_item_as_it_was(runtime: LocalRuntime) -> None:
    from sender_accounts.adapters.aws_clients import client

    # Given an existing item and a transaction that adds one, updates it, and then fails
    db, table = client("dynamodb"), os.environ["JOBS_TABLE_NAME"]
    db.put_item(TableName=table, Item={"pk": {"S": "T#1"}, "sk": {"S": "B"}, "x": {"N": "1"}})
    items = [
        {"Put": {"TableName": table, "Item": {"pk": {"S": "T#1"}, "sk": {"S": "A"}}}},
        {
            "Update": {
                "TableName": table,
                "Key": {"pk": {"S": "T#1"}, "sk": {"S": "B"}},
                "UpdateExpression": "SET x = :two",
                "ExpressionAttributeValues": {":two": {"N": "2"}},
            }
        },
        {
            "ConditionCheck": {
                "TableName": table,
                "Key": {"pk": {"S": "T#1"}, "sk": {"S": "C"}},
                "ConditionExpression": "attribute_exists(pk)",
            }
        },
    ]
    # When it runs
    with pytest.raises(ClientError) as raised:
        db.transact_write_items(TransactItems=items)
    # Then it was cancelled for the condition, and nothing it touched changed
    assert raised.value.response["Error"]["Code"] == "TransactionCanceledException"
    key_a = {"pk": {"S": "T#1"}, "sk": {"S": "A"}}
    assert "Item" not in db.get_item(TableName=table, Key=key_a)
    item_b = db.get_item(TableName=table, Key={"pk": {"S": "T#1"}, "sk": {"S": "B"}})["Item"]
    assert item_b["x"] == {"N": "1"}
    # And a transaction that succeeds applies every item
    items[2]["ConditionCheck"]["ConditionExpression"] = "attribute_not_exists(pk)"
    db.transact_write_items(TransactItems=items)
    assert "Item" in db.get_item(TableName=table, Key=key_a)
