"""Powertools Logger and Metrics, one of each per process, and the wrapper every Lambda entry
point uses.

Tracing: the functions run with X-Ray active tracing (template.yaml), so every invocation and
its init are traced by Lambda itself. Subsegments for each AWS call need the X-Ray SDK, whose
import costs about as much as boto3's; it is loaded only when `TRACE_AWS_CALLS` is true
(template parameter `TraceAwsCalls`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics

from sender_accounts.startup import initialised

logger = Logger()
metrics = Metrics()

Handler = Callable[[Any, Any], Any]


def traces_aws_calls() -> bool:
    return os.environ.get("TRACE_AWS_CALLS", "false").lower() == "true"


def instrumented(
    handler: Handler, correlation_id_path: str | None = None, with_metrics: bool = True
) -> Handler:
    """`handler` with the request's logging context (and correlation id), metrics flushed at
    the end, and AWS-call tracing when enabled."""
    wrapped: Handler = metrics.log_metrics(handler) if with_metrics else handler
    if traces_aws_calls():
        from aws_lambda_powertools import Tracer

        wrapped = Tracer().capture_lambda_handler(wrapped)
    inject = logger.inject_lambda_context(correlation_id_path=correlation_id_path, clear_state=True)
    entry: Handler = inject(wrapped)
    answered = False

    @functools.wraps(entry)
    def first_then_initialised(event: Any, context: Any) -> Any:
        # What the first request loads on first use (its use case, their libraries) lives
        # as long as the environment, as init's modules do: collection resumes after it.
        nonlocal answered
        try:
            return entry(event, context)
        finally:
            if not answered:
                answered = True
                initialised()

    return first_then_initialised
