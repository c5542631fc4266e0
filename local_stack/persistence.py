"""Local data across restarts: `make serve` keeps a snapshot in `.local-stack/` when it stops and
restores it when it starts (`make serve FRESH=1` starts empty).

moto's server mode keeps nothing on disk, and a pickle of its backends does not survive either
(KMS keys hold `cryptography` key objects, SQS queues hold locks), so the snapshot holds the
data, not the emulation: every table's items, each KMS key's id and material (mailbox passwords
are ciphertext under it), secret values (the cursor signing key), queued messages, SES
identities, the mail the viewer shows and the demo mailbox. On start the template is
provisioned as always (a changed template applies), the keys and secrets are adopted as they are
made, then the data is put back. Keys, secrets and passwords are in it: the file is the
owner's only (0600), like `state.json`.
"""

from __future__ import annotations

import base64
import json
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import boto3
from moto.core.utils import unix_time_millis
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.utilities import dynamo_json_dump
from moto.kms.models import kms_backends
from moto.ses.models import EmailIdentity, ses_backends
from moto.sqs.models import sqs_backends

from .provision import ACCOUNT_ID, REGION, ProvisionedStack
from .state import STATE_DIR

SNAPSHOT_FILE = STATE_DIR / "snapshot.json"
FORMAT = 1


@dataclass
class Snapshot:
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    keys: dict[str, dict[str, str]] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    queues: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ses_identities: list[dict[str, Any]] = field(default_factory=list)
    mail: list[dict[str, Any]] = field(default_factory=list)
    demo: dict[str, Any] = field(default_factory=dict)
    format: int = FORMAT

    def save(self, path: Path = SNAPSHOT_FILE) -> None:
        """Written beside and renamed: a stop cut short never leaves half a snapshot."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump(asdict(self), file)
        partial.replace(path)

    @classmethod
    def load(cls, path: Path = SNAPSHOT_FILE) -> Snapshot | None:
        """The kept snapshot, or None when there is none or it is of another format."""
        if not path.exists():
            return None
        body = json.loads(path.read_text())
        if body.get("format") != FORMAT:
            return None
        return cls(**body)

    def counts(self) -> str:
        items = sum(len(rows) for rows in self.tables.values())
        messages = sum(len(rows) for rows in self.queues.values())
        return f"{items} items, {messages} queued messages, {len(self.mail)} sent messages"

    # Provisioning calls this after making each resource: a kept key or secret is adopted.
    def adopt(
        self,
        resource_type: str,
        logical_id: str,
        refs: dict[str, str],
        attributes: dict[tuple[str, str], str],
    ) -> None:
        if resource_type == "AWS::KMS::Key" and logical_id in self.keys:
            kept = self.keys[logical_id]
            attributes[(logical_id, "Arn")] = _adopt_key(refs[logical_id], kept)
            refs[logical_id] = kept["key_id"]
        elif resource_type == "AWS::SecretsManager::Secret" and logical_id in self.secrets:
            secrets = boto3.client("secretsmanager", region_name=REGION)  # as the administrator
            secrets.put_secret_value(
                SecretId=refs[logical_id], SecretString=self.secrets[logical_id]
            )

    def restore_data(self, stack: ProvisionedStack) -> None:
        """Put the kept items, messages and identities into the freshly provisioned stack."""

        refs = stack.resolver.refs
        tables = dynamodb_backends[ACCOUNT_ID][REGION]
        for logical_id, items in self.tables.items():
            if logical_id in refs:  # a table the template no longer has is left behind
                for item in items:
                    tables.put_item(refs[logical_id], item)
        queues = sqs_backends[ACCOUNT_ID][REGION]
        for logical_id, messages in self.queues.items():
            name = stack.resolver.attributes.get((logical_id, "QueueName"))
            for message in messages:
                if name is not None:
                    queues.send_message(
                        name,
                        message["body"],
                        message["attributes"] or None,
                        delay_seconds=message.get("delay_seconds") or None,
                    )
        identities = ses_backends[ACCOUNT_ID][REGION].email_identities
        for kept in self.ses_identities:
            identity: EmailIdentity = object.__new__(EmailIdentity)
            identity.__dict__.update(kept)
            identities[identity.email_identity] = identity


def take_snapshot(stack: ProvisionedStack) -> Snapshot:
    """The stack's data as it is now; call it once nothing writes any more."""

    refs, attributes = stack.resolver.refs, stack.resolver.attributes
    template = stack.template
    snapshot = Snapshot()
    tables = dynamodb_backends[ACCOUNT_ID][REGION]
    for logical_id in template.of_type("AWS::DynamoDB::Table"):
        table = tables.get_table(refs[logical_id])
        # As DynamoDB's wire format (binaries in base64), which put_item takes back.
        items = [item.to_json()["Attributes"] for item in table.all_items()]
        snapshot.tables[logical_id] = json.loads(dynamo_json_dump(items))
    keys = kms_backends[ACCOUNT_ID][REGION].keys
    for logical_id in template.of_type("AWS::KMS::Key"):
        key = keys[refs[logical_id]]
        material = base64.b64encode(key.key_material).decode()
        snapshot.keys[logical_id] = {"key_id": key.id, "material": material}
    secrets = boto3.client("secretsmanager", region_name=REGION)  # as the administrator
    for logical_id in template.of_type("AWS::SecretsManager::Secret"):
        value = secrets.get_secret_value(SecretId=refs[logical_id])["SecretString"]
        snapshot.secrets[logical_id] = value
    queues = sqs_backends[ACCOUNT_ID][REGION]
    for logical_id in template.of_type("AWS::SQS::Queue"):
        queue = queues.get_queue(attributes[(logical_id, "QueueName")])
        now_ms = unix_time_millis()
        snapshot.queues[logical_id] = [
            {
                "body": message.body,
                "attributes": message.message_attributes,
                # A delayed message stays delayed for what remains; one in flight (received,
                # not deleted) is redelivered after the restart, as a lost receiver's would be.
                "delay_seconds": max(0, math.ceil((message.delayed_until - now_ms) / 1000)),
            }
            for message in list(queue._messages)
        ]
    snapshot.ses_identities = [
        dict(vars(identity))
        for identity in ses_backends[ACCOUNT_ID][REGION].email_identities.values()
    ]
    return snapshot


def _adopt_key(made_id: str, kept: dict[str, str]) -> str:
    """The key just made takes the kept key's id and material: ciphertext made before the
    restart names that id and decrypts with that material. Returns its ARN."""

    keys = kms_backends[ACCOUNT_ID][REGION].keys
    key = keys.pop(made_id)
    key.id = kept["key_id"]
    key.arn = key.arn.replace(made_id, key.id)
    key.key_material = base64.b64decode(kept["material"])
    keys[key.id] = key
    return str(key.arn)
