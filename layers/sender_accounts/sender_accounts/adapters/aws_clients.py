"""AWS clients, built once per process and reused across invocations (cold start matters).

botocore's own clients, the ones boto3 hands out: boto3's session adds resources and S3
transfers, which no function uses, and its import brings s3transfer and multiprocessing
(about 18 ms of a cold request)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cache
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import DataNotFoundError
from botocore.loaders import Loader, create_loader

from sender_accounts.adapters.endpoint_data import endpoint_resolver

# Lambda functions answer an HTTP request: fail fast on a sick dependency instead of hanging.
_CLIENT_CONFIG = Config(
    connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"}
)


class _ServicesOnDisk:
    """What `Loader.list_available_services` answers, for the question a client's creation
    asks of it (is this service known?): the one service's folder is listed, not the folders
    of all 450 services, which costs 10 ms per model type on a cold start. Iterating lists
    them all, as botocore would."""

    def __init__(self, loader: Loader, type_name: str) -> None:
        self._loader = loader
        self._type_name = type_name

    def __contains__(self, service: object) -> bool:
        try:
            return bool(self._loader.list_api_versions(service, self._type_name))
        except DataNotFoundError:
            return False

    def __iter__(self) -> Iterator[str]:
        return iter(Loader.list_available_services(self._loader, self._type_name))


class _LeanLoader(Loader):
    def list_available_services(self, type_name: str) -> Any:
        return _ServicesOnDisk(self, type_name)


def _new_session() -> botocore.session.Session:
    core = botocore.session.get_session()
    # The data paths botocore's own loader would search (AWS_DATA_PATH included)
    paths = create_loader(core.get_config_variable("data_path")).search_paths
    lean = _LeanLoader(extra_search_paths=paths, include_default_search_paths=False)
    core.register_component("data_loader", lean)
    resolver = endpoint_resolver(lean)
    if resolver is not None:  # botocore's own otherwise, made with the first client
        core._internal_components.register_component("endpoint_resolver", resolver)
    return core


_session_lock = threading.Lock()
_sessions: list[botocore.session.Session] = []


def _new_client(service: str) -> Any:
    """Every client of the process from one session: a session loads botocore's data files
    (endpoints, partitions, retry rules) when it makes its first client, so a second session
    pays that again (about 50 ms a client). Sessions are not thread-safe: clients are made one
    at a time; the clients themselves are."""
    with _session_lock:
        if not _sessions:
            _sessions.append(_new_session())
        return _sessions[0].create_client(service, config=_CLIENT_CONFIG)


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
