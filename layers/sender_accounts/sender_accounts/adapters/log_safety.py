"""Keep wire-level debug logs of libraries out of every log, whatever level is configured.

botocore logs whole request and response bodies at DEBUG: a KMS Encrypt request carries the
mailbox password (base64) and a Decrypt response returns it. A filter on those loggers drops
such records even when someone turns DEBUG on for troubleshooting.
"""

from __future__ import annotations

import logging

WIRE_LOGGERS = (
    "botocore.endpoint",
    "botocore.parsers",
    "botocore.auth",
    "botocore.awsrequest",
    "botocore.httpsession",
    "urllib3.connectionpool",
    "aioimaplib.aioimaplib",
)


class _DropBelowWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


_FILTER = _DropBelowWarning()


def silence_wire_logs() -> None:
    """Idempotent; called when the layer is imported."""
    for name in WIRE_LOGGERS:
        wire_logger = logging.getLogger(name)
        if _FILTER not in wire_logger.filters:
            wire_logger.addFilter(_FILTER)
