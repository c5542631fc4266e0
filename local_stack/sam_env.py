"""The env-vars file for `sam local invoke`, for users who have Docker: each function's
environment as the running local stack gives it (tables, key, queues, bus, settings), pointed
at the stack's AWS emulation and signed as the function's own role, as in Lambda.

    sam local invoke ListSenderAccountsFunction -e events/list_sender_accounts.json \\
        --env-vars .local-stack/sam-env.json --docker-network host

The emulation listens on 127.0.0.1: a container reaches it on the host's network
(`--docker-network host`, Linux).
"""

from __future__ import annotations

import json
from pathlib import Path

from .identities import AccessKey
from .provision import REGION, ProvisionedStack
from .state import STATE_FILE

SAM_ENV_FILE = STATE_FILE.parent / "sam-env.json"
# Settings the local stack runs with that Lambda would not set by itself.
LOCAL_ONLY = {"POWERTOOLS_TRACE_DISABLED": "true"}


def sam_env_vars(
    stack: ProvisionedStack,
    function_keys: dict[str, AccessKey],
    overrides: dict[str, str] | None = None,
) -> dict[str, dict[str, str]]:
    """{logical id: {variable: value}}, the shape `sam local invoke --env-vars` reads."""
    variables: dict[str, dict[str, str]] = {}
    for logical_id in stack.template.functions():
        key = function_keys[logical_id]
        variables[logical_id] = {
            **stack.function_environment(logical_id),
            **(overrides or {}),
            **LOCAL_ONLY,
            "AWS_ENDPOINT_URL": stack.endpoint_url,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": key.access_key_id,
            "AWS_SECRET_ACCESS_KEY": key.secret_access_key,
            "AWS_SESSION_TOKEN": key.session_token or "",
        }
    return variables


def write_sam_env(variables: dict[str, dict[str, str]], path: Path = SAM_ENV_FILE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)  # it holds the functions' session credentials
    path.write_text(json.dumps(variables, indent=2, sort_keys=True))
    return path
