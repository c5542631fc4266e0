"""Load a function's handler from the template's CodeUri and call it as Lambda would."""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

from .identities import acting_as
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


def _load_module(code_uri: str, handler: str, instance: int) -> ModuleType:
    ensure_layer_on_path()
    module_name, _ = handler.rsplit(".", 1)
    path = PROJECT_ROOT / code_uri / f"{module_name}.py"
    unique = f"function_{code_uri.strip('/').replace('/', '_')}_{module_name}_{instance}"
    spec = importlib.util.spec_from_file_location(unique, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    spec.loader.exec_module(module)
    return module


@cache
def load_handler_module(code_uri: str, handler: str) -> ModuleType:
    """The function's module as its first execution environment holds it."""
    return _load_module(code_uri, handler, 0)


class _InstancePool:
    """Execution environments of one function. Each handles one event at a time, as in Lambda:
    handler modules keep per-request state (the resolver's current event)."""

    def __init__(self, code_uri: str, handler: str) -> None:
        self._code_uri = code_uri
        self._handler = handler
        self._idle: list[ModuleType] = []
        self._count = 0
        self._lock = threading.Lock()

    def acquire(self) -> ModuleType:
        with self._lock:
            if self._idle:
                return self._idle.pop()
            instance = self._count
            self._count += 1
        if instance == 0:
            return load_handler_module(self._code_uri, self._handler)
        return _load_module(self._code_uri, self._handler, instance)

    def release(self, module: ModuleType) -> None:
        with self._lock:
            self._idle.append(module)


_pools: dict[str, _InstancePool] = {}
_pools_lock = threading.Lock()


def _pool(template: StackTemplate, logical_id: str) -> _InstancePool:
    with _pools_lock:
        if logical_id not in _pools:
            props = template.function_properties(logical_id)
            _pools[logical_id] = _InstancePool(props["CodeUri"], props["Handler"])
        return _pools[logical_id]


def invoke(template: StackTemplate, logical_id: str, event: dict[str, Any]) -> Any:
    """Run one function on one event with a Lambda context carrying its template timeout."""
    props = template.function_properties(logical_id)
    timeout = float(props.get("Timeout", 3))
    context = LambdaContext(logical_id, timeout, int(props.get("MemorySize", 128)))
    pool = _pool(template, logical_id)
    module = pool.acquire()
    try:
        with acting_as(logical_id):  # with its own role's credentials, as in Lambda
            return getattr(module, props["Handler"].rsplit(".", 1)[1])(event, context)
    finally:
        pool.release(module)
