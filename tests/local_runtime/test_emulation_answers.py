"""The emulation's faster DynamoDB answers say exactly what moto's own writer says."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.dynamodb.responses import DynamoResult

from local_stack.emulation_fixes import _answer_items_as_they_are

TABLE = "answers"
AWS_ENDPOINT = "https://dynamodb.us-east-1.amazonaws.com"  # what mock_aws answers in process
ITEM = {
    "pk": {"S": "P#1"},
    "sk": {"S": "A"},
    "text": {"S": 'héllo \u2603 "quoted"'},
    "number": {"N": "12.50"},
    "blob": {"B": base64.b64decode(base64.b64encode(b"\x00\x01secret-bytes"))},
    "flag": {"BOOL": False},
    "nothing": {"NULL": True},
    "strings": {"SS": ["a", "b"]},
    "numbers": {"NS": ["1", "2.5"]},
    "blobs": {"BS": [b"\x00", b"\xff"]},
    "list": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"deep": {"B": b"\x02"}}}]},
    "map": {"M": {"inner": {"L": [{"BOOL": True}]}, "empty": {"M": {}}}},
}


@pytest.fixture
def db() -> Iterator[Any]:
    # In process, where the writer is switched: not the running emulation a suite may point
    # to. The endpoint is named on this client alone; the process's environment is left as it
    # is, so no other client (a runtime's thread) is ever built against AWS's own endpoint.
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=AWS_ENDPOINT)
        keys = [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ]
        attributes = [{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk")]
        client.create_table(
            TableName=TABLE, KeySchema=keys, AttributeDefinitions=attributes,
            BillingMode="PAY_PER_REQUEST",
        )  # fmt: skip
        for sk in ("A", "B", "C"):
            client.put_item(TableName=TABLE, Item={**ITEM, "sk": {"S": sk}})
        yield client


def _both_ways(call: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    original = DynamoResult.execute_result
    _answer_items_as_they_are()
    try:
        fast = call()
    finally:
        DynamoResult.execute_result = original  # type: ignore[method-assign]
    standard = call()
    for answer in (fast, standard):
        answer.pop("ResponseMetadata")
    return fast, standard


KEY = {"pk": {"S": "P#1"}, "sk": {"S": "A"}}
CALLS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "get_item": lambda db: db.get_item(TableName=TABLE, Key=KEY, ReturnConsumedCapacity="TOTAL"),
    "get_item, none": lambda db: db.get_item(TableName=TABLE, Key={**KEY, "sk": {"S": "Z"}}),
    "query, a page": lambda db: db.query(
        TableName=TABLE,
        KeyConditionExpression="pk = :p",
        Limit=2,
        ExpressionAttributeValues={":p": {"S": "P#1"}},
        ReturnConsumedCapacity="INDEXES",
    ),
    "query, projected": lambda db: db.query(
        TableName=TABLE,
        KeyConditionExpression="pk = :p",
        ProjectionExpression="sk, #m.inner",
        ExpressionAttributeNames={"#m": "map"},
        ExpressionAttributeValues={":p": {"S": "P#1"}},
    ),
    "query, count": lambda db: db.query(
        TableName=TABLE,
        KeyConditionExpression="pk = :p",
        Select="COUNT",
        ExpressionAttributeValues={":p": {"S": "P#1"}},
    ),
    "scan": lambda db: db.scan(TableName=TABLE, Limit=1),
    "batch_get_item": lambda db: db.batch_get_item(
        RequestItems={TABLE: {"Keys": [KEY, {**KEY, "sk": {"S": "B"}}, {**KEY, "sk": {"S": "Q"}}]}}
    ),
    "transact_get_items": lambda db: db.transact_get_items(
        TransactItems=[{"Get": {"TableName": TABLE, "Key": KEY}}]
    ),
    "update_item, all new": lambda db: db.update_item(
        TableName=TABLE,
        Key={**KEY, "sk": {"S": "C"}},
        UpdateExpression="SET #n = :n",
        ExpressionAttributeNames={"#n": "number"},
        ExpressionAttributeValues={":n": {"N": "3"}},
        ReturnValues="ALL_NEW",
    ),
    "put_item, all old": lambda db: db.put_item(
        TableName=TABLE, Item={**ITEM, "sk": {"S": "B"}}, ReturnValues="ALL_OLD"
    ),
    "delete_item, nothing back": lambda db: db.delete_item(
        TableName=TABLE, Key={**KEY, "sk": {"S": "Q"}}
    ),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_answer_is_the_one_moto_writes(db: Any, name: str) -> None:
    fast, standard = _both_ways(lambda: CALLS[name](db))
    assert fast == standard
    if name.startswith(("get_item,", "delete_item")):
        return
    assert any(field in fast for field in ("Item", "Items", "Attributes", "Responses", "Count"))
