"""`make api-key`: a new workspace and key, on the running local stack or a deployed one.

The key is the last line printed, so scripts can take it with `tail -n 1`.
"""

from __future__ import annotations

import argparse
import sys

import boto3

from .functions import ensure_layer_on_path
from .runtime import attach_to_running
from .state import LocalStackState


def _deployed_table(stack_name: str) -> str:
    stacks = boto3.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    return outputs["SenderAccountsTableName"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workspace", required=True, help="workspace name (created if new)")
    parser.add_argument("--scopes", default="sender_accounts:read,sender_accounts:write")
    parser.add_argument("--stack", help="a deployed CloudFormation stack; default: the local one")
    args = parser.parse_args(argv)
    if not args.workspace.strip():
        parser.error("WORKSPACE=<name> is required")
    ensure_layer_on_path()
    from sender_accounts.access.api_keys import issue_key
    from sender_accounts.adapters.aws_clients import client
    from sender_accounts.store.access import AccessStore

    if args.stack:
        table, prefix = _deployed_table(args.stack), "cs_live_"
        where = f"stack {args.stack}"
    else:
        state = LocalStackState.load_running()
        if state is None:
            print("No local stack is running: start `make serve`, or pass STACK=<deployed stack>.")
            return 2
        attach_to_running(state)
        table, prefix = state.environment["TABLE_NAME"], "cs_test_"
        where = f"the local stack at {state.gateway_url}"
    scopes = tuple(s.strip() for s in args.scopes.split(",") if s.strip())
    store = AccessStore(client("dynamodb"), table)
    try:
        workspace_id, key = issue_key(store, args.workspace, scopes=scopes, prefix=prefix)
    except ValueError as exc:
        print(f"error: {exc}")
        return 2
    print(f"Workspace {args.workspace} ({workspace_id}) on {where}; scopes: {' '.join(scopes)}")
    print("The key is shown once; only its hash is stored:")
    print(key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
