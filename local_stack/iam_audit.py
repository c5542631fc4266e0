"""Least privilege, checked: which permissions template.yaml grants a function that no request
of a whole test run needed.

    IAM_USAGE_FILE=/tmp/iam-usage.json make pytest
    .venv/bin/python -m local_stack.iam_audit /tmp/iam-usage.json

The run records every request each function's role was allowed (the emulation enforces IAM);
a grant nothing matched is either excess or a path the tests do not reach. AWS managed policies
(basic execution, queue polling, X-Ray) are AWS's, and not listed.
"""

from __future__ import annotations

import json
import sys
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from .function_roles import FunctionRole


def write_usage(
    path: Path, roles: dict[str, FunctionRole], used: list[tuple[str, str, str]]
) -> None:
    """`used`: (function, "service:Action", resource) of every request a function's role was
    allowed, as the emulation recorded them."""
    granted = {name: list(role.inline_policies.values()) for name, role in roles.items()}
    path.write_text(json.dumps({"granted": granted, "used": used}, indent=1))


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def unused_grants(
    granted: dict[str, list[dict[str, Any]]], used: list[tuple[str, str, str]]
) -> dict[str, list[tuple[str, str]]]:
    unused: dict[str, list[tuple[str, str]]] = {}
    for function, documents in granted.items():
        calls = [(action, resource) for name, action, resource in used if name == function]
        for document in documents:
            for statement in document["Statement"]:
                for action in _as_list(statement["Action"]):
                    for resource in _as_list(statement["Resource"]):
                        if not any(
                            fnmatchcase(a.lower(), action.lower()) and fnmatchcase(r, resource)
                            for a, r in calls
                        ):
                            unused.setdefault(function, []).append((action, resource))
    return unused


def main(argv: list[str]) -> int:
    usage = json.loads(Path(argv[0]).read_text())
    unused = unused_grants(usage["granted"], [tuple(u) for u in usage["used"]])
    print(f"{len(usage['used'])} distinct (function, action, resource) uses recorded")
    for function in sorted(usage["granted"]):
        for action, resource in unused.get(function, []):
            print(f"| {function} | {action} | {resource.rsplit(':', 1)[-1]} |")
    if not unused:
        print("every grant was used")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
