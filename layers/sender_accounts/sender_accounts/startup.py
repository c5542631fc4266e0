"""A function's init without garbage-collector pauses.

Every module, class and function created while a Lambda function initialises lives as long as
the execution environment, yet the collector scans them again and again as imports pile up:
measured here, it was a third of a function's import time (GET /sender-accounts/{id}: 586 ms
with collections, 406 ms without). So collection pauses from the layer's first import until
the first request is answered (it loads what its use case needs on first use, which lives as
long); then everything alive is frozen (never scanned again, which also shortens every later
collection) and collection resumes. Only inside Lambda: a long-lived
local process that loads functions one by one keeps its ordinary collector.
"""

from __future__ import annotations

import gc
import os


def in_lambda() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


def pause_collection() -> None:
    if in_lambda():
        gc.disable()


def initialised() -> None:
    """The end of the first request: freeze what exists, collect as usual from here on."""
    if in_lambda() and not gc.isenabled():
        gc.freeze()
        gc.enable()
