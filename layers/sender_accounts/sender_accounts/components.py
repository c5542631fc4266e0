"""Components: collaborators built once per process on first use, each naming the environment
variables it needs, so a function checks its own at cold start (`require`) and the local
runtime forgets every built one when it changes the environment (`reset`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sender_accounts.adapters.aws_clients import client, forget_session
from sender_accounts.config import get_settings

T = TypeVar("T")


class MissingConfiguration(RuntimeError):
    """A variable the function needs is not set: its template entry is missing."""


def env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise MissingConfiguration(
            f"{name} is not set; template.yaml must give it to this function"
        )
    return value


class Component(Generic[T]):
    """One collaborator, built once per process on first use."""

    def __init__(
        self,
        build: Callable[[], T],
        variables: tuple[str, ...] = (),
        uses: tuple[Component[Any], ...] = (),
    ) -> None:
        self._build = build
        self._variables = variables
        self._uses = uses
        self._instance: T | None = None
        _ALL.append(self)

    def get(self) -> T:
        if self._instance is None:
            self._instance = self._build()
        return self._instance

    def variables(self) -> set[str]:
        needed = set(self._variables)
        for used in self._uses:
            needed |= used.variables()
        return needed

    def reset(self) -> None:
        self._instance = None


_ALL: list[Component[Any]] = []


def require(*components: Component[Any]) -> None:
    """At cold start: every variable these components need is set, or the init fails."""
    missing = sorted({v for c in components for v in c.variables() if not os.environ.get(v)})
    if missing:
        raise MissingConfiguration(
            f"{', '.join(missing)} not set; template.yaml must give them to this function"
        )


def reset() -> None:
    """Forget every built collaborator, client and setting (the environment changed)."""
    for component in _ALL:
        component.reset()
    client.cache_clear()
    forget_session()
    get_settings.cache_clear()
