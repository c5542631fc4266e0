"""boto3 clients, built once per process and reused across invocations (cold start matters)."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

# Lambda functions answer an HTTP request: fail fast on a sick dependency instead of hanging.
_CLIENT_CONFIG = Config(
    connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"}
)


@cache
def client(service: str) -> Any:
    return boto3.session.Session().client(service, config=_CLIENT_CONFIG)
