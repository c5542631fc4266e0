"""What a team running the stack watches is declared in template.yaml for every part of it:
a function, queue or API added later without its alarm fails here, not in production."""

from __future__ import annotations

from typing import Any

import pytest

from local_stack.template import StackTemplate, load_template

TEMPLATE = StackTemplate(load_template())
RESOURCES: dict[str, dict[str, Any]] = TEMPLATE.body["Resources"]


def _alarms() -> list[dict[str, Any]]:
    return [r["Properties"] for r in RESOURCES.values() if r["Type"] == "AWS::CloudWatch::Alarm"]


def _dimension_refs(alarm: dict[str, Any]) -> list[Any]:
    stats = [m["MetricStat"]["Metric"] for m in alarm.get("Metrics", []) if "MetricStat" in m]
    dimensions = [d for metric in stats for d in metric.get("Dimensions", [])]
    return [d["Value"] for d in dimensions + alarm.get("Dimensions", [])]


@pytest.mark.parametrize("function", sorted(TEMPLATE.functions()))
def test_every_function_alarms_on_its_errors_and_throttles(function: str) -> None:
    watching = [a for a in _alarms() if {"Ref": function} in _dimension_refs(a)]
    assert watching, f"no alarm watches {function}"
    names = {
        m["MetricStat"]["Metric"]["MetricName"] for a in watching for m in a.get("Metrics", [])
        if "MetricStat" in m
    }  # fmt: skip
    assert {"Errors", "Throttles"} <= names
    assert all(a["AlarmActions"] == [{"Ref": "AlarmTopic"}] for a in watching)


@pytest.mark.parametrize(
    "queue", sorted(q for q, r in RESOURCES.items() if r["Type"] == "AWS::SQS::Queue")
)
def test_every_queue_is_watched(queue: str) -> None:
    metric = (
        "ApproximateNumberOfMessagesVisible"
        if "DeadLetter" in queue
        else "ApproximateAgeOfOldestMessage"
    )
    name = {"Fn::GetAtt": [queue, "QueueName"]}
    watching = [
        a for a in _alarms() if a.get("MetricName") == metric and name in _dimension_refs(a)
    ]
    assert watching, f"no {metric} alarm on {queue}"


def test_the_api_is_watched_for_5xx_and_p99_latency() -> None:
    api_alarms = [a for a in _alarms() if a.get("Namespace") == "AWS/ApiGateway"]
    assert {a["MetricName"] for a in api_alarms} == {"5XXError", "Latency"}
    latency = next(a for a in api_alarms if a["MetricName"] == "Latency")
    assert latency["ExtendedStatistic"] == "p99"


def test_every_function_logs_to_a_group_with_retention() -> None:
    globals_ = TEMPLATE.body["Globals"]["Function"]
    group = globals_["LoggingConfig"]["LogGroup"]["Ref"]
    assert RESOURCES[group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    overriding = [
        f for f in TEMPLATE.functions()
        if "LoggingConfig" in RESOURCES[f]["Properties"]
    ]  # fmt: skip
    assert not overriding


def test_consumers_cannot_take_the_apis_concurrency() -> None:
    for function, resource in RESOURCES.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] == "SQS":
                assert event["Properties"]["ScalingConfig"]["MaximumConcurrency"] <= 10, function
