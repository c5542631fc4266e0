"""`make invoke`: one function on one event, against the running local stack (no Docker)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .functions import invoke
from .runtime import attach_to_running
from .state import LocalStackState
from .template import StackTemplate, load_template


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--function", required=True, help="logical id in template.yaml")
    parser.add_argument(
        "--event", required=True, help="an event file, e.g. events/list_sender_accounts.json"
    )
    args = parser.parse_args(argv)
    template = StackTemplate(load_template())
    if args.function not in template.functions():
        print(
            f"error: no function {args.function!r}; "
            f"one of: {', '.join(sorted(template.functions()))}"
        )
        return 2
    state = LocalStackState.load_running()
    if state is None:
        print("No local stack is running: start `make serve` in another terminal first.")
        return 2
    attach_to_running(state)
    os.environ.update(state.environment)
    event = json.loads(Path(args.event).read_text())
    try:
        result = invoke(template, args.function, event)
    except Exception as exc:  # shown as Lambda shows an unhandled error
        print(json.dumps({"errorType": type(exc).__name__, "errorMessage": str(exc)}, indent=2))
        return 1
    print(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
