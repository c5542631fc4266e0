"""Create every table, key, queue, bus and rule that template.yaml declares, on an AWS emulation."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3

from .template import IntrinsicResolver, StackTemplate, load_template

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
CREATION_ORDER = (
    "AWS::DynamoDB::Table",
    "AWS::KMS::Key",
    "AWS::KMS::Alias",
    "AWS::SQS::Queue",
    "AWS::Events::EventBus",
    "AWS::Events::Rule",
    "AWS::SecretsManager::Secret",
)


@dataclass
class ProvisionedStack:
    template: StackTemplate
    resolver: IntrinsicResolver
    endpoint_url: str

    def function_environment(self, logical_id: str) -> dict[str, str]:
        props = self.template.function_properties(logical_id)
        variables = self.resolver.resolve(props["Environment"]["Variables"])
        return {key: str(value) for key, value in variables.items()}

    def output(self, name: str) -> str:
        return str(self.resolver.resolve(self.template.body["Outputs"][name]["Value"]))


def _client(service: str, endpoint_url: str) -> Any:
    # Signed as this process's identity: the local administrator once the runtime made one.
    return boto3.client(service, endpoint_url=endpoint_url, region_name=REGION)


def _queue_order(item: tuple[str, dict[str, Any]]) -> int:
    # Dead-letter queues first: the queues that redrive into them need their ARNs.
    return 1 if "RedrivePolicy" in item[1].get("Properties", {}) else 0


# Called after each resource is made, with (type, logical id, refs, attributes): a restore
# adopts kept key material and secret values there (persistence.py).
Adopter = Callable[[str, str, dict[str, str], dict[tuple[str, str], str]], None]


def provision(
    endpoint_url: str,
    stack_name: str = "sender-accounts-local",
    parameter_overrides: dict[str, str] | None = None,
    template: StackTemplate | None = None,
    adopt: Adopter | None = None,
) -> ProvisionedStack:
    """Create the template's resources on `endpoint_url` and return how to reach them."""
    template = template or StackTemplate(load_template())
    parameters = {
        **template.parameter_defaults(),
        **(parameter_overrides or {}),
        "AWS::StackName": stack_name,
        "AWS::Region": REGION,
        "AWS::AccountId": ACCOUNT_ID,
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com",
    }
    refs: dict[str, str] = {}
    attributes: dict[tuple[str, str], str] = {}
    resolver = IntrinsicResolver(parameters, refs, attributes)

    for resource_type in CREATION_ORDER:
        items = sorted(template.of_type(resource_type).items(), key=_queue_order)
        for logical_id, resource in items:
            props = resolver.resolve(resource.get("Properties", {}))
            _CREATORS[resource_type](endpoint_url, stack_name, logical_id, props, refs, attributes)
            if adopt is not None:
                adopt(resource_type, logical_id, refs, attributes)

    for logical_id in template.functions():
        name = f"{stack_name}-{logical_id}"
        refs[logical_id] = name
        attributes[(logical_id, "Arn")] = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}"
    for logical_id in template.of_type("AWS::Serverless::Api"):
        refs[logical_id] = "local"
    for logical_id in template.of_type("AWS::Serverless::LayerVersion"):
        refs[logical_id] = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:layer:{logical_id}:1"
    return ProvisionedStack(template, resolver, endpoint_url)


def _create_table(
    endpoint: str, stack: str, logical_id: str, props: dict[str, Any], refs: dict[str, str],
    attributes: dict[tuple[str, str], str],
) -> None:  # fmt: skip
    dynamodb = _client("dynamodb", endpoint)
    name = props.get("TableName", f"{stack}-{logical_id}")
    request: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    for index_kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if index_kind in props:
            request[index_kind] = props[index_kind]
    # Already there when an earlier start used the same emulation.
    with contextlib.suppress(dynamodb.exceptions.ResourceInUseException):
        dynamodb.create_table(**request)
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        dynamodb.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
        )
    refs[logical_id] = name
    attributes[(logical_id, "Arn")] = f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{name}"


def _create_key(
    endpoint: str, stack: str, logical_id: str, props: dict[str, Any], refs: dict[str, str],
    attributes: dict[tuple[str, str], str],
) -> None:  # fmt: skip
    kms = _client("kms", endpoint)
    key = kms.create_key(Description=props.get("Description", logical_id))["KeyMetadata"]
    if props.get("EnableKeyRotation"):
        kms.enable_key_rotation(KeyId=key["KeyId"])
    refs[logical_id] = key["KeyId"]
    attributes[(logical_id, "Arn")] = key["Arn"]


def _create_alias(
    endpoint: str, stack: str, logical_id: str, props: dict[str, Any], refs: dict[str, str],
    attributes: dict[tuple[str, str], str],
) -> None:  # fmt: skip
    kms = _client("kms", endpoint)
    try:
        kms.create_alias(AliasName=props["AliasName"], TargetKeyId=props["TargetKeyId"])
    except kms.exceptions.AlreadyExistsException:
        kms.update_alias(AliasName=props["AliasName"], TargetKeyId=props["TargetKeyId"])
    refs[logical_id] = props["AliasName"]


def _create_queue(
    endpoint: str, stack: str, logical_id: str, props: dict[str, Any], refs: dict[str, str],
    attributes: dict[tuple[str, str], str],
) -> None:  # fmt: skip
    sqs = _client("sqs", endpoint)
    name = props.get("QueueName", f"{stack}-{logical_id}")
    queue_attributes: dict[str, str] = {}
    for key in ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds"):
        if key in props:
            queue_attributes[key] = str(props[key])
    if "RedrivePolicy" in props:
        queue_attributes["RedrivePolicy"] = json.dumps(props["RedrivePolicy"])
    url = sqs.create_queue(QueueName=name, Attributes=queue_attributes)["QueueUrl"]
    refs[logical_id] = url
    attributes[(logical_id, "Arn")] = f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{name}"
    attributes[(logical_id, "QueueName")] = name
    attributes[(logical_id, "QueueUrl")] = url


def _create_event_bus(
    endpoint: str, stack: str, logical_id: str, props: dict[str, Any], refs: dict[str, str],
    attributes: dict[tuple[str, str], str],
) -> None:  # fmt: skip
    events = _client("events", endpoint)
    name = props.get("Name", f"{stack}-{logical_id}")
    try:
        arn = events.create_event_bus(Name=name)["EventBusArn"]
    except events.exceptions.ResourceAlreadyExistsException:
        arn = events.describe_event_bus(Name=name)["Arn"]
    refs[logical_id] = name
    attributes[(logical_id, "Arn")] = arn
    attributes[(logical_id, "Name")] = name


def _create_rule(
    endpoint: str, stack: str, logical_id: str, props: dict[str, Any], refs: dict[str, str],
    attributes: dict[tuple[str, str], str],
) -> None:  # fmt: skip
    """A rule on the stack's bus and its targets (the emulation delivers to queues); the
    queue's policy that lets EventBridge send is not needed here."""
    events = _client("events", endpoint)
    name = props.get("Name", f"{stack}-{logical_id}")
    bus = props.get("EventBusName", "default")
    pattern = props["EventPattern"]
    arn = events.put_rule(
        Name=name,
        EventBusName=bus,
        EventPattern=pattern if isinstance(pattern, str) else json.dumps(pattern),
    )["RuleArn"]
    targets = [{"Id": t["Id"], "Arn": t["Arn"]} for t in props.get("Targets", [])]
    if targets:
        events.put_targets(Rule=name, EventBusName=bus, Targets=targets)
    refs[logical_id] = name
    attributes[(logical_id, "Arn")] = arn


def _create_secret(
    endpoint: str, stack: str, logical_id: str, props: dict[str, Any], refs: dict[str, str],
    attributes: dict[tuple[str, str], str],
) -> None:  # fmt: skip
    secrets = _client("secretsmanager", endpoint)
    name = props.get("Name", f"{stack}-{logical_id}")
    try:
        arn = secrets.describe_secret(SecretId=name)["ARN"]
    except secrets.exceptions.ResourceNotFoundException:
        # GenerateSecretString: a random value, as CloudFormation makes one
        value = secrets.get_random_password(
            PasswordLength=int(props.get("GenerateSecretString", {}).get("PasswordLength", 32)),
            ExcludePunctuation=True,
        )["RandomPassword"]
        arn = secrets.create_secret(Name=name, SecretString=value)["ARN"]
    refs[logical_id] = arn


_CREATORS = {
    "AWS::DynamoDB::Table": _create_table,
    "AWS::KMS::Key": _create_key,
    "AWS::KMS::Alias": _create_alias,
    "AWS::SQS::Queue": _create_queue,
    "AWS::Events::EventBus": _create_event_bus,
    "AWS::Events::Rule": _create_rule,
    "AWS::SecretsManager::Secret": _create_secret,
}
