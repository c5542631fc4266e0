"""What every store shares: DynamoDB types in and out, one rule for failures, one paginated
query loop, and the transaction item shapes.

A condition failure is the caller's business (a duplicate, a race, a row decided before) and
is raised as is; any other failure is DependencyUnavailable, with the operation and the
service's error code only, never a value.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.errors import DependencyUnavailable
from sender_accounts.store.attribute_values import deserialize, serialize

T = TypeVar("T")

TRANSACTION_ATTEMPTS = 5
BATCH_GET_KEYS = 100  # BatchGetItem's maximum


def cancellation_reasons(exc: ClientError) -> list[str]:
    """Per transaction item, why it was cancelled ("None" for the items that were fine)."""
    return [str(r.get("Code", "")) for r in exc.response.get("CancellationReasons", [])]


def _only_conflicted(exc: ClientError) -> bool:
    reasons = cancellation_reasons(exc)
    return "TransactionConflict" in reasons and "ConditionalCheckFailed" not in reasons


def is_condition_failure(exc: ClientError) -> bool:
    code = exc.response.get("Error", {}).get("Code")
    if code == "ConditionalCheckFailedException":
        return True
    if code == "TransactionCanceledException":
        return "ConditionalCheckFailed" in cancellation_reasons(exc)
    return False


class Dynamo:
    """A DynamoDB client with the failure rule applied to every call."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def call(self, operation: str, **kwargs: Any) -> Any:
        # A transaction cancelled only because another one touched a shared item at the same
        # moment (the workspace's counters) is retried: DynamoDB cancels one of the two.
        for attempt in range(TRANSACTION_ATTEMPTS):
            try:
                return getattr(self._client, operation)(**kwargs)
            except ClientError as exc:
                if _only_conflicted(exc) and attempt + 1 < TRANSACTION_ATTEMPTS:
                    time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - jitter
                    continue
                if is_condition_failure(exc):
                    raise
                code = exc.response.get("Error", {}).get("Code", "ClientError")
                raise DependencyUnavailable("DynamoDB", f"{operation}: {code}") from None
            except BotoCoreError as exc:
                name = type(exc).__name__
                raise DependencyUnavailable("DynamoDB", f"{operation}: {name}") from None
        raise AssertionError("unreachable: the last attempt returns or raises")

    def query_all(self, **request: Any) -> Iterator[dict[str, Any]]:
        """Every item a query matches, page after page, deserialized."""
        return self._all("query", request)

    def scan_all(self, **request: Any) -> Iterator[dict[str, Any]]:
        """Every item a scan finds, page after page: only for a one-off migration."""
        return self._all("scan", request)

    def _all(self, operation: str, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
        while True:
            response = self.call(operation, **request)
            for item in response.get("Items", []):
                yield deserialize(item)
            if "LastEvaluatedKey" not in response:
                return
            request = {**request, "ExclusiveStartKey": response["LastEvaluatedKey"]}

    def transact(self, items: list[dict[str, Any]]) -> None:
        self.call("transact_write_items", TransactItems=items)

    def batch_get(
        self,
        table: str,
        keys: list[dict[str, Any]],
        attributes: tuple[str, ...] = (),
        consistent: bool = False,
    ) -> list[dict[str, Any]]:
        """The items at `keys` that exist, deserialized, in no particular order; `attributes`
        only, when given. 100 keys per request, unprocessed keys asked again."""
        found: list[dict[str, Any]] = []
        for start in range(0, len(keys), BATCH_GET_KEYS):
            wanted: dict[str, Any] = {
                "Keys": [serialize(key) for key in keys[start : start + BATCH_GET_KEYS]],
                "ConsistentRead": consistent,
            }
            if attributes:
                wanted["ProjectionExpression"] = ", ".join(f"#a{i}" for i in range(len(attributes)))
                wanted["ExpressionAttributeNames"] = {f"#a{i}": a for i, a in enumerate(attributes)}
            request = {table: wanted}
            while request:
                response = self.call("batch_get_item", RequestItems=request)
                found.extend(deserialize(i) for i in response.get("Responses", {}).get(table, []))
                request = response.get("UnprocessedKeys") or {}
        return found


def put(table: str, item: dict[str, Any], condition: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": table, "Item": serialize(item)}
    if condition:
        body["ConditionExpression"] = condition
    return {"Put": body}


def delete(table: str, key: dict[str, Any], condition: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": table, "Key": serialize(key)}
    if condition:
        body["ConditionExpression"] = condition
    return {"Delete": body}


def set_fields(values: dict[str, Any]) -> dict[str, Any]:
    """`SET #f0 = :v0, ...` with its names and values, for any attribute names; a name whose
    value is None is removed (`REMOVE #f1`): a sparse index's key leaves the index."""
    names = {f"#f{i}": name for i, name in enumerate(values)}
    kept = [(i, v) for i, v in enumerate(values.values()) if v is not None]
    gone = [f"#f{i}" for i, v in enumerate(values.values()) if v is None]
    expression = "SET " + ", ".join(f"#f{i} = :v{i}" for i, _ in kept) if kept else ""
    if gone:
        expression = f"{expression} REMOVE {', '.join(gone)}".strip()
    return {
        "UpdateExpression": expression,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": {f":v{i}": value for i, value in kept},
    }


def each_shard(read: Callable[[str], Iterable[T]], shards: list[str]) -> list[list[T]]:
    """Every shard's read at once, in the shards' order: a planner that walked its 24 shard
    partitions one after another waited 24 round trips on every run."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(shards), 4) or 1) as pool:
        return list(pool.map(lambda shard: list(read(shard)), shards))
