"""boto3 clients, built once per process and reused across invocations (cold start matters)."""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

# Lambda functions answer an HTTP request: fail fast on a sick dependency instead of hanging.
_CLIENT_CONFIG = Config(
    connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"}
)


_session_lock = threading.Lock()
_sessions: list[boto3.session.Session] = []


def _new_client(service: str) -> Any:
    """Every client of the process from one session: a session loads botocore's data files
    (endpoints, partitions, retry rules) when it makes its first client, so a second session
    pays that again (about 50 ms a client). Sessions are not thread-safe: clients are made one
    at a time; the clients themselves are."""
    with _session_lock:
        if not _sessions:
            _sessions.append(boto3.session.Session())
        return _sessions[0].client(service, config=_CLIENT_CONFIG)


def forget_session() -> None:
    """The environment changed (region, endpoint): the next client starts a new session."""
    with _session_lock:
        _sessions.clear()


class _ClientOnFirstCall:
    """A client built when first used. A use case is composed with every client its paths may
    need (the vault's KMS client, the bus's EventBridge client), while one request uses few:
    building a client loads its service's model, tens of milliseconds of a cold request."""

    def __init__(self, service: str) -> None:
        self._service = service
        self._client: Any = None
        self._lock = threading.Lock()

    def _built(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = _new_client(self._service)
            return self._client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client if self._client is not None else self._built(), name)


@cache
def client(service: str) -> Any:
    return _ClientOnFirstCall(service)
