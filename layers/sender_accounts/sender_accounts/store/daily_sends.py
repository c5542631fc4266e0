"""An inbox's count of emails sent on the current UTC day, against its daily limit: counted
before a send, given back when the send fails. The count lives on the inbox item (and the
copy its list rows show), so a list shows it without another read."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from sender_accounts.store.dynamo import Dynamo, serialize
from sender_accounts.store.keys import inbox_key
from sender_accounts.store.records import InboxRecord, InboxSummary

# The list indexes' copy of the list attributes (list_index.py) counts sends too.
SUMMARY_NAME = {"#sm": "summary"}


def todays_count(record: InboxSummary) -> int:
    """The sent counter belongs to a UTC day: a count from an earlier day reads as zero."""
    today = datetime.now(UTC).date().isoformat()
    return record.emails_sent_today if record.sent_day == today else 0


class DailySends:
    def __init__(
        self, db: Dynamo, table_name: str, read: Callable[[str, str], InboxRecord]
    ) -> None:
        self._db = db
        self._table = table_name
        self._read = read

    def reserve(self, workspace_id: str, inbox_id: str, today: str) -> bool:
        """Count one email against today's limit, atomically; False when the limit is reached.

        The counter belongs to a UTC day (`sent_day`): the first send of a new day starts it
        again at one. Two conditional writes cover the two cases; retried if a new day began
        between them."""
        key = serialize(inbox_key(workspace_id, inbox_id))
        values = serialize({":one": 1, ":today": today})
        for _attempt in range(3):
            try:
                self._db.call(
                    "update_item",
                    TableName=self._table,
                    Key=key,
                    UpdateExpression=(
                        "SET emails_sent_today = emails_sent_today + :one,"
                        " #sm.emails_sent_today = emails_sent_today + :one"
                    ),
                    ExpressionAttributeNames=SUMMARY_NAME,
                    ConditionExpression=(
                        "attribute_exists(pk) AND sent_day = :today"
                        " AND emails_sent_today < daily_limit"
                    ),
                    ExpressionAttributeValues=values,
                )
                return True
            except ClientError:
                pass
            try:
                self._db.call(
                    "update_item",
                    TableName=self._table,
                    Key=key,
                    UpdateExpression=(
                        "SET emails_sent_today = :one, sent_day = :today,"
                        " #sm.emails_sent_today = :one, #sm.sent_day = :today"
                    ),
                    ExpressionAttributeNames=SUMMARY_NAME,
                    ConditionExpression=(
                        "attribute_exists(pk) AND (attribute_not_exists(sent_day)"
                        " OR sent_day <> :today) AND daily_limit >= :one"
                    ),
                    ExpressionAttributeValues=values,
                )
                return True
            except ClientError:
                pass
            current = self._read(workspace_id, inbox_id)  # NotFound if deleted meanwhile
            if current.sent_day == today and current.emails_sent_today >= current.daily_limit:
                return False
        return False

    def release(self, workspace_id: str, inbox_id: str, today: str) -> None:
        """Give back a counted email whose sending failed."""
        # A condition failure means a new day began meanwhile: nothing of today's to give back.
        with contextlib.suppress(ClientError):
            self._db.call(
                "update_item",
                TableName=self._table,
                Key=serialize(inbox_key(workspace_id, inbox_id)),
                UpdateExpression=(
                    "SET emails_sent_today = emails_sent_today - :one,"
                    " #sm.emails_sent_today = emails_sent_today - :one"
                ),
                ExpressionAttributeNames=SUMMARY_NAME,
                ConditionExpression="sent_day = :today AND emails_sent_today > :zero",
                ExpressionAttributeValues=serialize({":one": 1, ":zero": 0, ":today": today}),
            )
