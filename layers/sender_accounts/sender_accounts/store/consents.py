"""Consents in progress in DynamoDB (keys.py has the key design): a consent's item is keyed by
its state's hash and claimed once with a condition, so a replayed or late state changes
nothing."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from sender_accounts.errors import NotFound
from sender_accounts.store.dynamo import Dynamo, deserialize, is_condition_failure, serialize
from sender_accounts.store.keys import consent_state_key
from sender_accounts.store.records import ConsentRecord


class ConsentStore:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = Dynamo(dynamodb)
        self._table = table_name

    def put(self, state_hash: str, consent: ConsentRecord) -> None:
        self._db.call(
            "put_item",
            TableName=self._table,
            Item=serialize({**consent_state_key(state_hash), **consent.item()}),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def claim(self, state_hash: str, now: int, used_at: str) -> tuple[ConsentRecord, bool]:
        """The consent and whether this call claimed it (False: used before, or expired);
        NotFound when no such consent exists."""
        try:
            response = self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(consent_state_key(state_hash)),
                UpdateExpression="SET used_at = :used",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(used_at)"
                " AND expires_at > :now",
                ExpressionAttributeValues=serialize({":used": used_at, ":now": now}),
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if not is_condition_failure(exc):
                raise
            if "Item" not in exc.response:
                raise NotFound("Consent") from None
            return ConsentRecord.model_validate(deserialize(exc.response["Item"])), False
        return ConsentRecord.model_validate(deserialize(response["Attributes"])), True
