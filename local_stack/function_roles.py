"""Each function's IAM role as a deploy creates it, made on the emulation and assumed.

The roles come from the template as SAM expands it (the SAM CLI's own translator: policy
templates, event-source permissions and managed policies included), so a permission missing
from template.yaml is missing here too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from .identities import AccessKey
from .template import PROJECT_ROOT, IntrinsicResolver, StackTemplate

SAM_PYTHON = PROJECT_ROOT / ".tools" / "sam" / "bin" / "python"
TRANSLATOR = Path(__file__).with_name("sam_translate.py")
CACHE_DIR = PROJECT_ROOT / ".local-stack" / "translated"
ADMINISTRATOR = "local-administrator"


class TranslatorMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class FunctionRole:
    function: str
    role_name: str
    trust_policy: dict[str, Any]
    inline_policies: dict[str, dict[str, Any]]
    managed_policy_arns: list[str]


def deployed_template(template: StackTemplate, parameters: dict[str, str]) -> dict[str, Any]:
    """The CloudFormation template `sam deploy` would create, cached by its input."""
    request = json.dumps({"template": template.body, "parameters": parameters}, sort_keys=True)
    translator = TRANSLATOR.read_bytes()
    key = hashlib.sha256(request.encode() + translator).hexdigest()[:32]
    cached = CACHE_DIR / f"{key}.json"
    if cached.exists():
        return dict(json.loads(cached.read_text()))
    if not SAM_PYTHON.exists():
        raise TranslatorMissing(
            f"{SAM_PYTHON} not found: the local runtime expands template.yaml with the SAM "
            "CLI's translator; `make sam-cli` installs it"
        )
    done = subprocess.run(  # noqa: S603 - our own script under the SAM CLI's interpreter
        [str(SAM_PYTHON), str(TRANSLATOR)],
        input=request,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ.get("PATH", "")},
    )
    if done.returncode != 0:
        raise RuntimeError(f"SAM could not expand template.yaml:\n{done.stderr[-2000:]}")
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    partial.write_text(done.stdout)
    partial.replace(cached)
    return dict(json.loads(done.stdout))


def function_roles(
    deployed: dict[str, Any], resolver: IntrinsicResolver, functions: list[str], stack: str
) -> dict[str, FunctionRole]:
    resources = deployed["Resources"]
    roles: dict[str, FunctionRole] = {}
    for logical_id in functions:
        role_id = resources[logical_id]["Properties"]["Role"]["Fn::GetAtt"][0]
        role = resources[role_id]["Properties"]
        roles[logical_id] = FunctionRole(
            function=logical_id,
            role_name=f"{stack}-{role_id}"[:64],
            trust_policy=role["AssumeRolePolicyDocument"],
            inline_policies={
                policy["PolicyName"]: _versioned(resolver.resolve(policy["PolicyDocument"]))
                for policy in role.get("Policies", [])
            },
            managed_policy_arns=[
                resolver.resolve(arn) for arn in role.get("ManagedPolicyArns", [])
            ],
        )
    return roles


def _versioned(document: dict[str, Any]) -> dict[str, Any]:
    # IAM reads a document without a Version as 2008-10-17 (the same for these statements: no
    # policy variables); the emulation accepts only 2012-10-17.
    return {"Version": "2012-10-17", **document}


def create_roles(roles: dict[str, FunctionRole]) -> dict[str, str]:
    """Made (or brought up to date) as the administrator; returns each function's role ARN."""
    iam = boto3.client("iam")
    arns: dict[str, str] = {}
    for logical_id, role in roles.items():
        try:
            arn = iam.create_role(
                RoleName=role.role_name, AssumeRolePolicyDocument=json.dumps(role.trust_policy)
            )["Role"]["Arn"]
        except iam.exceptions.EntityAlreadyExistsException:
            arn = iam.get_role(RoleName=role.role_name)["Role"]["Arn"]
            for name in iam.list_role_policies(RoleName=role.role_name)["PolicyNames"]:
                iam.delete_role_policy(RoleName=role.role_name, PolicyName=name)
        for name, document in role.inline_policies.items():
            iam.put_role_policy(
                RoleName=role.role_name, PolicyName=name, PolicyDocument=json.dumps(document)
            )
        for policy_arn in role.managed_policy_arns:
            iam.attach_role_policy(RoleName=role.role_name, PolicyArn=policy_arn)
        arns[logical_id] = arn
    return arns


def assume_roles(arns: dict[str, str]) -> dict[str, AccessKey]:
    """What Lambda does for each execution environment: the role's temporary credentials."""
    sts = boto3.client("sts")
    keys: dict[str, AccessKey] = {}
    for logical_id, arn in arns.items():
        credentials = sts.assume_role(
            RoleArn=arn, RoleSessionName=logical_id[:64], DurationSeconds=43200
        )["Credentials"]
        keys[logical_id] = AccessKey(
            credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]
        )
    return keys


def create_administrator() -> AccessKey:
    """The identity the local runtime provisions with: allowed everything, like a deployer."""
    iam = boto3.client("iam")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    with contextlib.suppress(iam.exceptions.EntityAlreadyExistsException):
        iam.create_user(UserName=ADMINISTRATOR)
    iam.put_user_policy(
        UserName=ADMINISTRATOR, PolicyName="administrator", PolicyDocument=json.dumps(policy)
    )
    # A second start in one process (tests) replaces the key: IAM allows two per user.
    for old in iam.list_access_keys(UserName=ADMINISTRATOR)["AccessKeyMetadata"]:
        iam.delete_access_key(UserName=ADMINISTRATOR, AccessKeyId=old["AccessKeyId"])
    key = iam.create_access_key(UserName=ADMINISTRATOR)["AccessKey"]
    return AccessKey(key["AccessKeyId"], key["SecretAccessKey"])
