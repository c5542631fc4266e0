"""Powertools Logger, Metrics and Tracer, one of each per process, shared by every module."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
metrics = Metrics()
tracer = Tracer()
