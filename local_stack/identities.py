"""Who the emulation sees calling: each function's own role while it runs, the local
administrator for everything else (provisioning, `make api-key`, tests looking at tables).

All functions share one process here, and the layer builds its boto3 clients once per process;
so a client's credentials are looked up at every request instead of at its creation: the role
of the function whose invocation is running in this context, or the administrator's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import asdict, dataclass

import botocore.session
from botocore.credentials import Credentials, ReadOnlyCredentials


@dataclass(frozen=True)
class AccessKey:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def frozen(self) -> ReadOnlyCredentials:
        return ReadOnlyCredentials(self.access_key_id, self.secret_access_key, self.session_token)

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


_acting: ContextVar[AccessKey | None] = ContextVar("acting_function_role", default=None)
_roles: dict[str, AccessKey] = {}


class _CallerOfTheMoment(Credentials):
    """Signs each request as the function running in this context, else as the administrator."""

    def __init__(self, administrator: AccessKey) -> None:
        self._administrator = administrator
        super().__init__(administrator.access_key_id, administrator.secret_access_key)

    def _current(self) -> AccessKey:
        return _acting.get() or self._administrator

    def get_frozen_credentials(self) -> ReadOnlyCredentials:
        return self._current().frozen()

    @property
    def access_key(self) -> str:
        return self._current().access_key_id

    @access_key.setter
    def access_key(self, value: str) -> None:  # set by the base class; the value is dynamic
        pass

    @property
    def secret_key(self) -> str:
        return self._current().secret_access_key

    @secret_key.setter
    def secret_key(self, value: str) -> None:
        pass

    @property
    def token(self) -> str | None:
        return self._current().session_token

    @token.setter
    def token(self, value: str | None) -> None:
        pass


def install(administrator: AccessKey, function_roles: dict[str, AccessKey]) -> None:
    """Every boto3 client this process creates from now on signs as the caller of the moment."""
    _roles.clear()
    _roles.update(function_roles)
    caller = _CallerOfTheMoment(administrator)

    def get_credentials(self: botocore.session.Session) -> Credentials:
        return caller

    botocore.session.Session.get_credentials = get_credentials


@contextlib.contextmanager
def acting_as(logical_id: str) -> Iterator[None]:
    """Calls made in this context, and in tasks and threads started with a copy of it, are the
    function's own; unknown functions get no credentials at all rather than the administrator's."""
    if not _roles:  # identities not installed: an emulation without IAM (unit helpers)
        yield
        return
    token = _acting.set(_roles.get(logical_id, AccessKey("unknown-function", "none")))
    try:
        yield
    finally:
        _acting.reset(token)
