"""Load a function's handler from the template's CodeUri and call it as Lambda would."""

from __future__ import annotations

import importlib.util
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

from .template import PROJECT_ROOT, StackTemplate

LAYER_PATHS = [PROJECT_ROOT / "layers" / "sender_accounts"]


def ensure_layer_on_path() -> None:
    """Lambda puts layers on sys.path; the local runtime does the same."""
    for path in LAYER_PATHS:
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


@dataclass
class LambdaContext:
    """The context object Lambda passes, with a real deadline."""

    function_name: str
    timeout_seconds: float
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = ""
    _deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds
        self.invoked_function_arn = (
            f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"
        )
        self.log_group_name = f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@cache
def load_handler_module(code_uri: str, handler: str) -> ModuleType:
    ensure_layer_on_path()
    module_name, _ = handler.rsplit(".", 1)
    path = PROJECT_ROOT / code_uri / f"{module_name}.py"
    unique = f"function_{code_uri.strip('/').replace('/', '_')}_{module_name}"
    spec = importlib.util.spec_from_file_location(unique, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    spec.loader.exec_module(module)
    return module


def handler_for(template: StackTemplate, logical_id: str) -> Callable[[dict[str, Any], Any], Any]:
    props = template.function_properties(logical_id)
    module = load_handler_module(props["CodeUri"], props["Handler"])
    return getattr(module, props["Handler"].rsplit(".", 1)[1])


def invoke(template: StackTemplate, logical_id: str, event: dict[str, Any]) -> Any:
    """Run one function on one event with a Lambda context carrying its template timeout."""
    props = template.function_properties(logical_id)
    context = LambdaContext(
        logical_id, float(props.get("Timeout", 3)), int(props.get("MemorySize", 128))
    )
    return handler_for(template, logical_id)(event, context)
