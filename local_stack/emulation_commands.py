"""What the runtime asks of the emulation beyond AWS's own API, run in the emulation's process
(emulation.py): each function here reaches into moto's backends, which live only there.

Arguments and answers are plain data (names, ids, DynamoDB's wire format), pickled over the
control pipe.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable
from typing import Any

from moto import settings
from moto.core.utils import unix_time_millis
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table
from moto.dynamodb.models.utilities import dynamo_json_dump
from moto.kms.models import kms_backends
from moto.ses.models import EmailIdentity, ses_backends
from moto.sqs.models import sqs_backends

from .authorization import USED_BY_FUNCTIONS
from .provision import ACCOUNT_ID, REGION


def set_enforcement(enforced: bool) -> bool:
    """IAM enforcement on (every request signed and checked, as in AWS) or off; returns what it
    was."""
    was = settings.INITIAL_NO_AUTH_ACTION_COUNT == 0
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0 if enforced else float("inf")
    return was


def used_by_functions() -> list[tuple[str, str, str]]:
    return sorted(USED_BY_FUNCTIONS)


def table_items(tables: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Each table's items (logical id → table name) in DynamoDB's wire format, which PutItem
    takes back (binaries in base64)."""
    backend = dynamodb_backends[ACCOUNT_ID][REGION]
    kept = {}
    for logical_id, name in tables.items():
        items = [item.to_json()["Attributes"] for item in backend.get_table(name).all_items()]
        kept[logical_id] = json.loads(dynamo_json_dump(items))
    return kept


def key_materials(keys: dict[str, str]) -> dict[str, dict[str, str]]:
    backend = kms_backends[ACCOUNT_ID][REGION].keys
    return {
        logical_id: {
            "key_id": backend[key_id].id,
            "material": base64.b64encode(backend[key_id].key_material).decode(),
        }
        for logical_id, key_id in keys.items()
    }


def queued_messages(queues: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    backend = sqs_backends[ACCOUNT_ID][REGION]
    now_ms = unix_time_millis()
    return {
        logical_id: [
            {
                "body": message.body,
                "attributes": message.message_attributes,
                # A delayed message stays delayed for what remains; one in flight (received,
                # not deleted) is redelivered after the restart, as a lost receiver's would be.
                "delay_seconds": max(0, math.ceil((message.delayed_until - now_ms) / 1000)),
            }
            for message in list(backend.get_queue(name)._messages)
        ]
        for logical_id, name in queues.items()
    }


def ses_identities() -> list[dict[str, Any]]:
    return [dict(vars(i)) for i in ses_backends[ACCOUNT_ID][REGION].email_identities.values()]


def adopt_key(made_id: str, kept: dict[str, str]) -> str:
    """The key just made takes the kept key's id and material: ciphertext made before the
    restart names that id and decrypts with that material. Returns its ARN."""
    keys = kms_backends[ACCOUNT_ID][REGION].keys
    key = keys.pop(made_id)
    key.id = kept["key_id"]
    key.arn = key.arn.replace(made_id, key.id)
    key.key_material = base64.b64decode(kept["material"])
    keys[key.id] = key
    return str(key.arn)


def put_items(table: str, items: list[dict[str, Any]]) -> None:
    """Straight into the table, without a request each (restoring, seeding a benchmark)."""
    backend = dynamodb_backends[ACCOUNT_ID][REGION]
    for item in items:
        backend.put_item(table, item)


def restore_messages(queue: str, messages: list[dict[str, Any]]) -> None:
    backend = sqs_backends[ACCOUNT_ID][REGION]
    for message in messages:
        backend.send_message(
            queue,
            message["body"],
            message["attributes"] or None,
            delay_seconds=message.get("delay_seconds") or None,
        )


def restore_ses_identities(kept: list[dict[str, Any]]) -> None:
    identities = ses_backends[ACCOUNT_ID][REGION].email_identities
    for attributes in kept:
        identity: EmailIdentity = object.__new__(EmailIdentity)
        identity.__dict__.update(attributes)
        identities[identity.email_identity] = identity


def ses_sent() -> list[tuple[str, list[str]]]:
    """The raw source and recipients of every message SES accepted."""
    sent = list(ses_backends[ACCOUNT_ID][REGION].sent_messages)
    return [
        (raw, list(getattr(message, "destinations", [])))
        for message in sent
        if (raw := getattr(message, "raw_data", None)) is not None
    ]


_paged_query: list[Any] = []  # the paged Query while moto's own stands in


def use_paged_queries(paged: bool) -> None:
    """Off: moto's own Query (it reads the whole table), to compare the paged one against."""
    if not paged and not _paged_query:
        _paged_query.append(Table.query)
        Table.query = Table.query.__wrapped__  # type: ignore[attr-defined,method-assign]
    elif paged and _paged_query:
        Table.query = _paged_query.pop()  # type: ignore[method-assign]


COMMANDS: dict[str, Callable[..., Any]] = {
    command.__name__: command
    for command in (
        set_enforcement, used_by_functions, table_items, key_materials, queued_messages,
        ses_identities, adopt_key, put_items, restore_messages, restore_ses_identities,
        ses_sent, use_paged_queries,
    )
}  # fmt: skip
