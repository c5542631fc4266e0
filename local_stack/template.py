"""template.yaml, read with CloudFormation's short-form tags, and its intrinsic functions."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = PROJECT_ROOT / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """PyYAML loader that turns `!Ref X` into `{"Ref": "X"}` and so on."""


def _construct(tag: str) -> Any:
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if tag == "GetAtt":
                value = str(value).split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        return {"Ref" if tag == "Ref" else f"Fn::{tag}": value}

    return construct


for _tag in (
    "Ref",
    "GetAtt",
    "Sub",
    "Join",
    "Select",
    "Split",
    "If",
    "Equals",
    "Not",
    "ImportValue",
):
    _CfnLoader.add_constructor(f"!{_tag}", _construct(_tag))


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with path.open() as handle:
        return dict(yaml.load(handle, Loader=_CfnLoader))  # noqa: S506 - a SafeLoader subclass


@dataclass(frozen=True)
class ApiRoute:
    function: str
    method: str
    path: str
    # False for a route whose event says `Auth: {Authorizer: NONE}`: no API key is asked.
    authorized: bool = True
    # The authorizer the route's event names; None: the API's default.
    authorizer: str | None = None


@dataclass(frozen=True)
class AuthorizerSpec:
    """A REQUEST authorizer as API Gateway applies it: the function, its result cache, and the
    identity sources it declares (a request lacking one is refused before the function runs;
    none declared, the function always runs and nothing is cached)."""

    function: str
    cache_seconds: int
    headers: tuple[str, ...]
    query_strings: tuple[str, ...]


@dataclass(frozen=True)
class QueueSource:
    function: str
    queue: str
    batch_size: int
    maximum_concurrency: int


@dataclass(frozen=True)
class ScheduleSource:
    function: str
    name: str
    expression: str  # rate(...) as written in the template
    # The function's Metadata `LocalRunsPer: {Variable: NAME, Runs: n}`: locally it also runs
    # n times per NAME seconds when that is sooner (warm-up's planner with short days).
    runs_per: tuple[str, int] | None = None

    def every_seconds(self) -> float | None:
        """The period of a `rate(n unit)` expression; None for cron expressions."""
        match = re.fullmatch(
            r"rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)", self.expression
        )
        if match is None:
            return None
        unit = {"minute": 60, "hour": 3600, "day": 86400}[match.group(2).rstrip("s")]
        return int(match.group(1)) * unit


@dataclass
class StackTemplate:
    """The parts of the template the local runtime needs, read once."""

    body: dict[str, Any]
    resources: dict[str, dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.resources = self.body.get("Resources", {})

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.resources.items() if v["Type"] == resource_type}

    def functions(self) -> dict[str, dict[str, Any]]:
        return self.of_type("AWS::Serverless::Function")

    def function_properties(self, logical_id: str) -> dict[str, Any]:
        defaults = self.body.get("Globals", {}).get("Function", {})
        own = self.functions()[logical_id]["Properties"]
        merged = {**defaults, **own}
        merged["Environment"] = {
            "Variables": {
                **defaults.get("Environment", {}).get("Variables", {}),
                **own.get("Environment", {}).get("Variables", {}),
            }
        }
        return merged

    def api_routes(self) -> list[ApiRoute]:
        routes = []
        for name, resource in self.functions().items():
            for event in resource["Properties"].get("Events", {}).values():
                if event["Type"] == "Api":
                    props = event["Properties"]
                    authorizer = props.get("Auth", {}).get("Authorizer")
                    route = ApiRoute(name, props["Method"].upper(), props["Path"])
                    named = authorizer if authorizer not in (None, "NONE") else None
                    routes.append(replace(route, authorized=authorizer != "NONE", authorizer=named))
        return routes

    def queue_sources(self) -> list[QueueSource]:
        sources = []
        for name, resource in self.functions().items():
            for event in resource["Properties"].get("Events", {}).values():
                if event["Type"] == "SQS":
                    props = event["Properties"]
                    queue = props["Queue"]["Fn::GetAtt"][0]
                    scaling = props.get("ScalingConfig", {})
                    sources.append(
                        QueueSource(
                            name,
                            queue,
                            int(props.get("BatchSize", 10)),
                            int(scaling.get("MaximumConcurrency", 2)),
                        )
                    )
        return sources

    def schedule_sources(self) -> list[ScheduleSource]:
        sources = []
        for name, resource in self.functions().items():
            runs = resource.get("Metadata", {}).get("LocalRunsPer")
            runs_per = (str(runs["Variable"]), int(runs["Runs"])) if runs else None
            for event_name, event in resource["Properties"].get("Events", {}).items():
                if event["Type"] == "Schedule":
                    expression = str(event["Properties"]["Schedule"])
                    sources.append(ScheduleSource(name, event_name, expression, runs_per))
        return sources

    def authorizer_function(self) -> str | None:
        for api in self.of_type("AWS::Serverless::Api").values():
            auth = api["Properties"].get("Auth", {})
            default = auth.get("DefaultAuthorizer")
            if default:
                arn = auth["Authorizers"][default]["FunctionArn"]
                # `!GetAtt Function.Arn`, or `!Ref Function.Alias` (SAM's published alias)
                reference = arn["Fn::GetAtt"][0] if "Fn::GetAtt" in arn else arn["Ref"]
                return str(reference).split(".")[0]
        return None

    def authorizers(self) -> dict[str | None, AuthorizerSpec]:
        """Every authorizer of the API by name, the default also under the key None."""
        found: dict[str | None, AuthorizerSpec] = {}
        for api in self.of_type("AWS::Serverless::Api").values():
            auth = api["Properties"].get("Auth", {})
            for name, spec in auth.get("Authorizers", {}).items():
                arn = spec["FunctionArn"]
                reference = arn["Fn::GetAtt"][0] if "Fn::GetAtt" in arn else arn["Ref"]
                identity = spec.get("Identity", {})
                found[name] = AuthorizerSpec(
                    function=str(reference).split(".")[0],
                    cache_seconds=int(identity.get("ReauthorizeEvery", 300)),
                    headers=tuple(h.lower() for h in identity.get("Headers", ())),
                    query_strings=tuple(identity.get("QueryStrings", ())),
                )
            if auth.get("DefaultAuthorizer"):
                found[None] = found[auth["DefaultAuthorizer"]]
        return found

    def gateway_responses(self) -> dict[str, Any]:
        for api in self.of_type("AWS::Serverless::Api").values():
            return dict(api["Properties"].get("GatewayResponses", {}))
        return {}

    def environment_at_defaults(
        self, logical_id: str, placeholder: Callable[[str], str]
    ) -> dict[str, str]:
        """A function's variables without a stack: literals as written, parameters at their
        defaults, anything else (a resource's name) `placeholder(variable)`: enough to import a
        handler, which makes no call."""
        defaults = self.parameter_defaults()
        variables = self.function_properties(logical_id)["Environment"]["Variables"]
        environment = {}
        for name, value in variables.items():
            reference = value.get("Ref") if isinstance(value, dict) else None
            if not isinstance(value, dict):
                environment[name] = str(value)
            elif reference in defaults:
                environment[name] = defaults[str(reference)]
            else:
                environment[name] = placeholder(name)
        return environment

    def parameter_defaults(self) -> dict[str, str]:
        return {
            name: str(spec.get("Default", ""))
            for name, spec in self.body.get("Parameters", {}).items()
        }


_SUB_PATTERN = re.compile(r"\$\{([^}!]+)\}")


class IntrinsicResolver:
    """Resolves Ref, GetAtt and Sub against the physical resources made locally."""

    def __init__(
        self,
        parameters: dict[str, str],
        refs: dict[str, str],
        attributes: dict[tuple[str, str], str],
    ) -> None:
        self.parameters = parameters
        self.refs = refs
        self.attributes = attributes

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict):
            if "Ref" in value:
                return self._ref(value["Ref"])
            if "Fn::GetAtt" in value:
                logical, attribute = value["Fn::GetAtt"]
                return self.attributes[(logical, attribute)]
            if "Fn::Sub" in value:
                return self._sub(value["Fn::Sub"])
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def _ref(self, name: str) -> str:
        if name in self.parameters:
            return self.parameters[name]
        return self.refs[name]

    def _sub(self, template: str) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if "." in name and not name.startswith("AWS::"):
                logical, attribute = name.split(".", 1)
                return self.attributes[(logical, attribute)]
            return self._ref(name)

        return _SUB_PATTERN.sub(replace, template)
