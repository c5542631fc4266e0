"""A function's environment as a Lambda sandbox has it, for processes started outside a stack."""

from __future__ import annotations

from local_stack.template import StackTemplate


def template_environment(template: StackTemplate, logical_id: str) -> dict[str, str]:
    """The function's variables from the template: parameters at their defaults, resources as
    placeholder names (their values only matter to calls, and none is made at import)."""
    return template.environment_at_defaults(logical_id, lambda name: f"bench-{name.lower()}")


def set_by_lambda(logical_id: str) -> dict[str, str]:
    """What Lambda itself sets in every execution environment (the layer reads the name)."""
    return {"AWS_LAMBDA_FUNCTION_NAME": logical_id, "AWS_REGION": "us-east-1"}
