"""IAM as AWS evaluates it, on the emulation: which action on which resource each request needs.

moto can check a request's signature and its caller's policies, but asks only SQS which resource
a request touches; every DynamoDB, KMS, EventBridge and SES request is checked against `*`, so a
policy scoped to one table (as every policy in template.yaml is) would allow nothing, and one
scoped to `*` would allow everything. Here each of those requests names its resources as AWS
documents them (authorization reference, "Actions, resources, and condition keys"):

- DynamoDB: the table, or `table/<t>/index/<i>` for an index; a transaction needs the item
  action (PutItem, UpdateItem, DeleteItem, ConditionCheckItem, GetItem) on each table it names,
  a batch its batch action on each table.
- KMS: the key, whichever alias or id the request names; Decrypt the key inside the ciphertext.
- EventBridge: PutEvents on each entry's bus.
- Secrets Manager: the secret, by name or ARN.
- SES: the identity (the sender's domain; each identity asked about).
- JSON-protocol services (all but SES) answer a refusal in JSON, as AWS does, where moto
  answers XML that boto3 reads as a bare "403": AccessDeniedException,
  UnrecognizedClientException (unknown key), InvalidSignatureException (wrong secret).
- SQS: a batch is authorized as its single action (SendMessageBatch needs sqs:SendMessage),
  where moto asks for a `sqs:SendMessageBatch` permission no policy can usefully grant.

Enforcement is switched by the runtime (`emulation_commands.set_enforcement`): off until the
local administrator is made, and while Lambda, not a caller, assumes the functions' roles.
"""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from moto import settings
from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.exceptions import (
    AccessDeniedError,
    InvalidClientTokenIdError,
    JsonRESTError,
    SignatureDoesNotMatchError,
)
from moto.dynamodb.responses import DynamoHandler
from moto.events.responses import EventsHandler
from moto.iam.access_control import IAMRequest
from moto.kms.models import kms_backends
from moto.kms.responses import KmsResponse
from moto.kms.utils import _deserialize_ciphertext_blob
from moto.secretsmanager.responses import SecretsManagerResponse
from moto.ses.responses import EmailResponse
from moto.sqs.responses import SQSResponse

Needed = list[tuple[str, str]]  # (action without the service prefix, resource ARN)

# (function, "service:Action", resource) of every request a function's role was allowed: what
# `local_stack.iam_audit` compares with what the template grants.
USED_BY_FUNCTIONS: set[tuple[str, str, str]] = set()

_TRANSACTION_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}


def _arn(handler: Any, service: str, resource: str) -> str:
    return f"arn:aws:{service}:{handler.region}:{handler.current_account}:{resource}"


def _json_body(handler: Any) -> dict[str, Any]:
    body = handler.body  # the text, or already parsed by the service's handler
    return dict(body) if isinstance(body, dict) else dict(json.loads(body or "{}"))


def _dynamodb(handler: Any, action: str) -> Needed:
    body = _json_body(handler)

    def table(name: str, index: str | None = None) -> str:
        if name.startswith("arn:"):
            return name
        return _arn(handler, "dynamodb", f"table/{name}" + (f"/index/{index}" if index else ""))

    if action in {"TransactWriteItems", "TransactGetItems"}:
        needed = []
        for item in body.get("TransactItems", []):
            for kind, request in item.items():
                needed.append((_TRANSACTION_ACTIONS[kind], table(request["TableName"])))
        return needed
    if action in {"BatchGetItem", "BatchWriteItem"}:
        return [(action, table(name)) for name in body.get("RequestItems", {})]
    if "TableName" in body:
        return [(action, table(body["TableName"], body.get("IndexName")))]
    return [(action, "*")]


def _kms(handler: Any, action: str) -> Needed:
    backend = kms_backends[handler.current_account][handler.region]
    body = _json_body(handler)
    key_id = body.get("KeyId") or body.get("TargetKeyId")
    if key_id is None and action == "Decrypt" and "CiphertextBlob" in body:
        try:
            key_id = _deserialize_ciphertext_blob(base64.b64decode(body["CiphertextBlob"])).key_id
        except (struct.error, ValueError):  # not one of this emulation's: KMS itself refuses it
            return [(action, "*")]
    if key_id is None:
        return [(action, "*")]
    try:
        return [(action, backend.describe_key(key_id).arn)]
    except Exception:
        return [(action, "*")]


def _events(handler: Any, action: str) -> Needed:
    body = _json_body(handler)

    def bus(name: str | None) -> str:
        name = name or "default"
        return name if name.startswith("arn:") else _arn(handler, "events", f"event-bus/{name}")

    if action == "PutEvents":
        return [(action, bus(entry.get("EventBusName"))) for entry in body.get("Entries", [])]
    if "EventBusName" in body or action == "PutRule":
        return [(action, bus(body.get("EventBusName")))]
    return [(action, "*")]


def _ses(handler: Any, action: str) -> Needed:
    def identity(name: str) -> str:
        return _arn(handler, "ses", f"identity/{name}")

    if action in {"SendEmail", "SendRawEmail"}:
        source = handler._get_param("Source") or ""
        return [(action, identity(source.rpartition("@")[2] or source))]
    if action in {"VerifyDomainIdentity", "VerifyDomainDkim"}:
        return [(action, identity(handler._get_param("Domain")))]
    if action == "DeleteIdentity":
        return [(action, identity(handler._get_param("Identity")))]
    if action in {"GetIdentityVerificationAttributes", "GetIdentityDkimAttributes"}:
        names = handler._get_param("Identities", [])
        return [(action, identity(name)) for name in names] or [(action, "*")]
    return [(action, "*")]


_SQS_BATCHES = {
    "SendMessageBatch": "SendMessage",
    "DeleteMessageBatch": "DeleteMessage",
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
}


def _sqs(handler: Any, action: str) -> Needed:
    return [(_SQS_BATCHES.get(action, action), handler._determine_resource())]


# service response class: (resources of a request, whether it answers in JSON)
def _secretsmanager(handler: Any, action: str) -> Needed:
    from moto.secretsmanager.models import secretsmanager_backends

    secret_id = _json_body(handler).get("SecretId")
    if not secret_id:
        return [(action, "*")]
    backend = secretsmanager_backends[handler.current_account][handler.region]
    try:
        return [(action, backend.describe_secret(secret_id).arn)]
    except Exception:  # an unknown secret: the action itself answers ResourceNotFound
        return [(action, "*")]


_RESOURCES: dict[type, tuple[Callable[[Any, str], Needed], bool]] = {
    DynamoHandler: (_dynamodb, True),
    KmsResponse: (_kms, True),
    EventsHandler: (_events, True),
    EmailResponse: (_ses, False),
    SQSResponse: (_sqs, True),
    SecretsManagerResponse: (_secretsmanager, True),
}


_JSON_REFUSALS: dict[type[Exception], str] = {
    AccessDeniedError: "AccessDeniedException",
    InvalidClientTokenIdError: "UnrecognizedClientException",
    SignatureDoesNotMatchError: "InvalidSignatureException",
}


def _authorize_each(
    needed_for: Callable[[Any, str], Needed], answers_json: bool
) -> Callable[..., None]:
    def authorize(self: Any, resource: str = "*") -> None:
        try:
            check(self)
        except (
            AccessDeniedError,
            InvalidClientTokenIdError,
            SignatureDoesNotMatchError,
        ) as refusal:
            if not answers_json:
                raise
            raise JsonRESTError(_JSON_REFUSALS[type(refusal)], refusal.message) from None

    def check(self: Any) -> None:
        if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
            ActionAuthenticatorMixin.request_count += 1
            return
        parsed = urlparse(self.uri)
        path = self.raw_path + (f"?{parsed.query}" if parsed.query else "")
        signature_checked = False
        needed = needed_for(self, self._get_action()) or [(self._get_action(), "*")]
        for action, arn in dict.fromkeys(needed):  # each pair once: a transaction repeats them
            request = IAMRequest(
                account_id=self.current_account,
                method=self.method,
                path=path,
                data=self.data,
                body=self.raw_body,
                headers=self.headers,
                action=action,
            )
            if not signature_checked:
                request.check_signature()
                signature_checked = True
            request.check_action_permitted(arn)
            session = getattr(request._access_key, "_session_name", None)
            if session is not None:  # an assumed role: the session is the function's name
                USED_BY_FUNCTIONS.add((session, request._action, arn))

    authorize._resource_aware = True  # type: ignore[attr-defined]
    return authorize


def apply_resource_aware_authorization() -> None:
    """Idempotent: each service above checks every resource its request touches."""
    for response_class, (needed_for, answers_json) in _RESOURCES.items():
        current = response_class.__dict__.get("_authenticate_and_authorize_normal_action")
        if getattr(current, "_resource_aware", False):
            continue
        authorize = _authorize_each(needed_for, answers_json)
        setattr(response_class, "_authenticate_and_authorize_normal_action", authorize)  # noqa: B010
