"""Library packages whose `__init__` loads every sibling module, made to load each on first use.

`aws_lambda_powertools.event_handler` imports the resolvers for AppSync, Bedrock agents, VPC
Lattice, function URLs and its HTTP server when any of its submodules is imported, and
`aws_lambda_powertools.utilities.data_classes` imports some forty event shapes; a function here
uses one resolver and two or three shapes. Measured in a fresh process: 78 ms for the event
handler package, of which the REST resolver a function uses is 25. Python imports a package's
`__init__` before any submodule, so the only way not to pay for it is to register the package
without running it: its names are read from the `__init__`'s own `from ... import` lines and
each is imported the first time something asks the package for it (PEP 562). What the package
exports is unchanged; only when each part loads changes.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

LAZY = ("aws_lambda_powertools.event_handler", "aws_lambda_powertools.utilities.data_classes")


def install() -> None:
    """Idempotent; a package something already imported stays as it is."""
    for name in LAZY:
        if name not in sys.modules:
            _register(name)


def exports(name: str) -> dict[str, tuple[str, str]]:
    """Each name the package's `__init__` imports: (module, name there)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ImportError(name)
    tree = ast.parse(Path(spec.origin).read_bytes())
    found: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom) or node.module is None:
            continue
        module = f"{name}.{node.module}" if node.level == 1 else node.module
        for alias in node.names:
            found[alias.asname or alias.name] = (module, alias.name)
    return found


def _register(name: str) -> None:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return  # not installed: nothing to defer
    package = importlib.util.module_from_spec(spec)  # __path__ set, __init__ not run
    names = exports(name)

    def loaded(attribute: str) -> Any:
        if attribute in names:
            module, original = names[attribute]
            value = getattr(importlib.import_module(module), original)
        elif not attribute.startswith("__") and importlib.util.find_spec(f"{name}.{attribute}"):
            value = importlib.import_module(f"{name}.{attribute}")  # a submodule, as loaded
        else:
            raise AttributeError(f"module {name!r} has no attribute {attribute!r}")
        setattr(package, attribute, value)
        return value

    package.__getattr__ = loaded  # type: ignore[method-assign]  # PEP 562
    package.__all__ = list(names)  # type: ignore[attr-defined]
    sys.modules[name] = package
    _attach(name, package)


def _attach(name: str, package: ModuleType) -> None:
    """As an import would: the package is an attribute of its parent (when that is loaded)."""
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, package)
