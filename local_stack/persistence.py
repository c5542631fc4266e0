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

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import boto3

from .emulation import Emulation
from .provision import REGION, ProvisionedStack
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
        emulation: Emulation,
        resource_type: str,
        logical_id: str,
        refs: dict[str, str],
        attributes: dict[tuple[str, str], str],
    ) -> None:
        if resource_type == "AWS::KMS::Key" and logical_id in self.keys:
            kept = self.keys[logical_id]
            attributes[(logical_id, "Arn")] = emulation.call("adopt_key", refs[logical_id], kept)
            refs[logical_id] = kept["key_id"]
        elif resource_type == "AWS::SecretsManager::Secret" and logical_id in self.secrets:
            secrets = boto3.client("secretsmanager", region_name=REGION)  # as the administrator
            secrets.put_secret_value(
                SecretId=refs[logical_id], SecretString=self.secrets[logical_id]
            )

    def restore_data(self, stack: ProvisionedStack, emulation: Emulation) -> None:
        """Put the kept items, messages and identities into the freshly provisioned stack."""

        refs, attributes = stack.resolver.refs, stack.resolver.attributes
        for logical_id, items in self.tables.items():
            if logical_id in refs:  # a table the template no longer has is left behind
                emulation.call("put_items", refs[logical_id], items)
        for logical_id, messages in self.queues.items():
            name = attributes.get((logical_id, "QueueName"))
            if name is not None:
                emulation.call("restore_messages", name, messages)
        emulation.call("restore_ses_identities", self.ses_identities)


def take_snapshot(stack: ProvisionedStack, emulation: Emulation) -> Snapshot:
    """The stack's data as it is now; call it once nothing writes any more."""

    refs, attributes, template = stack.resolver.refs, stack.resolver.attributes, stack.template

    def named(resource_type: str, name: Any = refs.get) -> dict[str, str]:
        return {logical_id: name(logical_id) for logical_id in template.of_type(resource_type)}

    secrets = boto3.client("secretsmanager", region_name=REGION)  # as the administrator
    queue_names = named("AWS::SQS::Queue", lambda i: attributes[(i, "QueueName")])
    return Snapshot(
        tables=emulation.call("table_items", named("AWS::DynamoDB::Table")),
        keys=emulation.call("key_materials", named("AWS::KMS::Key")),
        secrets={
            logical_id: secrets.get_secret_value(SecretId=name)["SecretString"]
            for logical_id, name in named("AWS::SecretsManager::Secret").items()
        },
        queues=emulation.call("queued_messages", queue_names),
        ses_identities=emulation.call("ses_identities"),
    )
