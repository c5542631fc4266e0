"""The local emulation keeps DynamoDB's transaction semantics after its speed-up."""

from __future__ import annotations

import os
import uuid
from typing import Any

import boto3
import pytest
from botocore.config import Config
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


def _walk(db: Any, request: dict[str, Any]) -> list[list[dict[str, Any]]]:
    pages = []
    while True:
        response = db.query(**request)
        pages.append(response["Items"])
        if "LastEvaluatedKey" not in response:
            return pages
        request = {**request, "ExclusiveStartKey": response["LastEvaluatedKey"]}


def test_paged_queries_answer_exactly_as_moto_does(runtime: LocalRuntime) -> None:
    from sender_accounts.adapters.aws_clients import client

    # A table of its own, shaped as the accounts table's status index: moto's own query reads
    # the whole table, and over the session's table that took half a minute.
    db, table = client("dynamodb"), f"query-pages-{uuid.uuid4().hex[:8]}"
    db.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"}
            for name in ("pk", "sk", "lk_s", "ls_health")
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "status-by-health",
                "KeySchema": [
                    {"AttributeName": "lk_s", "KeyType": "HASH"},
                    {"AttributeName": "ls_health", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["summary"]},
            }
        ],
    )
    # Given a partition of 30 items with index keys, some sharing an index sort value
    for i in range(30):
        item = {
            "pk": {"S": "QP#1"},
            "sk": {"S": f"INBOX#{i:03d}"},
            "lk_s": {"S": f"QP#1#{'A' if i % 3 else 'B'}"},
            "ls_health": {"S": f"{(i * 7) % 10:03d}"},
            "summary": {"M": {"n": {"N": str(i)}}},
        }
        db.put_item(TableName=table, Item=item)
    requests: list[dict[str, Any]] = []
    for forward in (True, False):
        base = {"TableName": table, "ScanIndexForward": forward, "Limit": 7}
        requests.append(
            {
                **base,
                "KeyConditionExpression": "pk = :p",
                "ExpressionAttributeValues": {":p": {"S": "QP#1"}},
            }
        )
        requests.append(
            {
                **base,
                "IndexName": "status-by-health",
                "KeyConditionExpression": "lk_s = :p AND ls_health < :h",
                "ExpressionAttributeValues": {":p": {"S": "QP#1#A"}, ":h": {"S": "005"}},
            }
        )
        for condition, values in (
            ("begins_with(sk, :v)", {":v": {"S": "INBOX#01"}}),
            ("sk BETWEEN :v AND :w", {":v": {"S": "INBOX#005"}, ":w": {"S": "INBOX#021"}}),
            ("sk >= :v", {":v": {"S": "INBOX#017"}}),
            ("sk = :v", {":v": {"S": "INBOX#004"}}),
        ):
            requests.append(
                {
                    **base,
                    "KeyConditionExpression": f"pk = :p AND {condition}",
                    "ExpressionAttributeValues": {":p": {"S": "QP#1"}, **values},
                }
            )
        requests.append(
            {
                **base,
                "IndexName": "status-by-health",
                "KeyConditionExpression": "lk_s = :p",
                "FilterExpression": "summary.n > :n",
                "ExpressionAttributeValues": {":p": {"S": "QP#1#B"}, ":n": {"N": "4"}},
            }
        )
    # When each is walked page by page, with the paged emulation and with moto's own
    fast, slow = _both_walks(runtime, db, requests)
    # Then the pages are the same, item for item
    assert fast == slow
    assert all(len(pages) > 1 for pages in fast[:2])  # the walks really paged
    # And when items then move within the index, leave it, are deleted and added, singly and in
    # a transaction, the paged emulation's orders (brought up to date, not rebuilt) still match
    db.update_item(
        TableName=table,
        Key={"pk": {"S": "QP#1"}, "sk": {"S": "INBOX#003"}},
        UpdateExpression="SET ls_health = :h",
        ExpressionAttributeValues={":h": {"S": "000"}},
    )
    db.update_item(
        TableName=table,
        Key={"pk": {"S": "QP#1"}, "sk": {"S": "INBOX#004"}},
        UpdateExpression="REMOVE lk_s",
    )
    db.delete_item(TableName=table, Key={"pk": {"S": "QP#1"}, "sk": {"S": "INBOX#010"}})
    added = {"pk": {"S": "QP#1"}, "sk": {"S": "INBOX#0105"}, "lk_s": {"S": "QP#1#A"}}
    db.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table, "Item": {**added, "ls_health": {"S": "001"}}}},
            {
                "Update": {
                    "TableName": table,
                    "Key": {"pk": {"S": "QP#1"}, "sk": {"S": "INBOX#005"}},
                    "UpdateExpression": "SET lk_s = :b",
                    "ExpressionAttributeValues": {":b": {"S": "QP#1#B"}},
                }
            },
        ]
    )
    fast_after, slow_after = _both_walks(runtime, db, requests)
    assert fast_after == slow_after
    assert fast_after != fast  # the writes changed what the walks see
    db.delete_table(TableName=table)


def _both_walks(
    runtime: LocalRuntime, db: Any, requests: list[dict[str, Any]]
) -> tuple[list[Any], list[Any]]:
    fast = [_walk(db, request) for request in requests]
    runtime.emulation.call("use_paged_queries", False)
    try:
        # (moto's own query reads the whole table: over a session's worth of items a filtered
        # index query outlasts the functions' 5 s read timeout, which is what the fix is for.)
        patient = boto3.session.Session().client("dynamodb", config=Config(read_timeout=300))
        slow = [_walk(patient, request) for request in requests]
    finally:
        runtime.emulation.call("use_paged_queries", True)
    return fast, slow


def test_queries_while_items_are_written_never_fail(runtime: LocalRuntime) -> None:
    """A query page builds its ordered partitions from the table's items: writes landing
    meanwhile must not break the walk ("dictionary changed size during iteration", a 500)."""
    import threading

    import boto3
    from botocore.config import Config

    from sender_accounts.adapters.aws_clients import client

    db, table = client("dynamodb"), os.environ["JOBS_TABLE_NAME"]
    # No retries: a 500 from the emulation must show, not be retried away.
    once = boto3.client("dynamodb", config=Config(retries={"max_attempts": 1, "mode": "standard"}))
    errors: list[BaseException] = []
    stop = threading.Event()

    def write(worker: int) -> None:
        n = 0
        while not stop.is_set():
            item = {"pk": {"S": f"RACE#{worker}"}, "sk": {"S": f"{n:06d}"}}
            db.put_item(TableName=table, Item=item)
            n += 1

    def read() -> None:
        try:
            for round_ in range(60):
                once.query(
                    TableName=table,
                    KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": f"RACE#{round_ % 2}"}},
                    Limit=5,
                )
        except BaseException as exc:
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(w,)) for w in range(2)]
    readers = [threading.Thread(target=read) for _ in range(2)]
    for thread in writers + readers:
        thread.start()
    for thread in readers:
        thread.join()
    stop.set()
    for thread in writers:
        thread.join()
    assert errors == []
