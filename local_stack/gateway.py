"""API Gateway's part, in process: route by the template, authorize, build the proxy event.

The HTTP server (server.py) and the tests both call `LocalApiGateway.handle`, so what the tests
exercise is exactly what `make serve` answers.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from .apigateway import authorizer_context, authorizer_request_event, policy_allows, proxy_event
from .functions import invoke
from .template import ApiRoute, AuthorizerSpec, StackTemplate

_log = logging.getLogger("local_stack.gateway")


@dataclass(frozen=True)
class GatewayResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class _CompiledRoute:
    route: ApiRoute
    pattern: re.Pattern[str]
    literal_segments: int


def _compile(route: ApiRoute) -> _CompiledRoute:
    parts = []
    literals = 0
    for segment in route.path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            name = segment[1:-1].rstrip("+")
            parts.append(f"(?P<{name}>[^/]+)")
        else:
            literals += 1
            parts.append(re.escape(segment))
    return _CompiledRoute(route, re.compile("^/" + "/".join(parts) + "/?$"), literals)


class LocalApiGateway:
    def __init__(self, template: StackTemplate) -> None:
        self.template = template
        # API Gateway prefers the most specific path: literal segments before parameters.
        self._routes = sorted(
            (_compile(r) for r in template.api_routes()), key=lambda c: -c.literal_segments
        )
        self._authorizers = template.authorizers()
        self._responses = template.gateway_responses()
        self._cache: dict[tuple[str, ...], tuple[float, dict[str, Any]]] = {}

    def _gateway_response(self, kind: str, default_status: int) -> GatewayResponse:
        spec = self._responses.get(kind) or self._responses.get(
            "DEFAULT_5XX" if default_status >= 500 else "DEFAULT_4XX", {}
        )
        headers = {
            name: str(value).strip("'")
            for name, value in spec.get("ResponseParameters", {}).get("Headers", {}).items()
        }
        headers.setdefault("Content-Type", "application/json")
        body = spec.get("ResponseTemplates", {}).get("application/json", '{"message": null}')
        return GatewayResponse(int(spec.get("StatusCode", default_status)), headers, body.encode())

    def match(self, method: str, path: str) -> tuple[ApiRoute, dict[str, str]] | None:
        for compiled in self._routes:
            if compiled.route.method != method:
                continue
            found = compiled.pattern.match(path)
            if found:
                return compiled.route, found.groupdict()
        return None

    def _authorize(
        self, spec: AuthorizerSpec, event: dict[str, Any], identity: tuple[str, ...]
    ) -> dict[str, Any] | None:
        """The authorizer's policy (None for its 401), cached by the identity sources' values
        as API Gateway caches it; an authorizer without sources is never cached."""
        cache_key = (spec.function, *identity)
        cached = self._cache.get(cache_key)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            policy = invoke(self.template, spec.function, authorizer_request_event(event))
        except Exception as exc:  # the authorizer's way of saying 401
            if str(exc) == "Unauthorized":
                return None
            raise
        if spec.cache_seconds and identity:
            self._cache[cache_key] = (time.monotonic() + spec.cache_seconds, policy)
        return dict(policy)

    @staticmethod
    def _identity(
        spec: AuthorizerSpec,
        headers: dict[str, list[str]] | None,
        query: dict[str, list[str]] | None,
    ) -> tuple[str, ...] | None:
        """The declared identity sources' values; None when one is missing or empty (API
        Gateway then answers 401 without calling the authorizer)."""
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        values = [(lowered.get(name) or [""])[-1] for name in spec.headers]
        values += [((query or {}).get(name) or [""])[-1] for name in spec.query_strings]
        return None if not all(values) else tuple(values)

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]] | None = None,
        headers: dict[str, list[str]] | None = None,
        body: bytes | None = None,
        source_ip: str = "127.0.0.1",
    ) -> GatewayResponse:
        matched = self.match(method.upper(), path)
        if matched is None:
            return self._gateway_response("MISSING_AUTHENTICATION_TOKEN", 403)
        route, path_parameters = matched
        event = proxy_event(
            method.upper(), path, route.path, path_parameters, query, headers, body,
            source_ip=source_ip,
        )  # fmt: skip
        spec = self._authorizers.get(route.authorizer)
        if spec is not None and route.authorized:
            identity = self._identity(spec, headers, query)
            if identity is None:
                return self._gateway_response("UNAUTHORIZED", 401)
            try:
                policy = self._authorize(spec, event, identity)
            except Exception:
                return self._gateway_response("AUTHORIZER_FAILURE", 500)
            if policy is None:
                return self._gateway_response("UNAUTHORIZED", 401)
            if not policy_allows(policy):
                return self._gateway_response("ACCESS_DENIED", 403)
            event["requestContext"]["authorizer"] = authorizer_context(policy)
        try:
            result = invoke(self.template, route.function, event)
        except Exception:
            # As Lambda would, the function's crash goes to its log, and the client gets a 502.
            _log.exception("%s failed on %s %s", route.function, method.upper(), route.path)
            return self._gateway_response("INTEGRATION_FAILURE", 502)
        return _from_proxy_result(result)


def _from_proxy_result(result: dict[str, Any]) -> GatewayResponse:
    headers = {k: str(v) for k, v in (result.get("headers") or {}).items()}
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers[name] = ", ".join(str(v) for v in values)
    body = result.get("body") or ""
    if result.get("isBase64Encoded"):
        import base64

        raw = base64.b64decode(body)
    else:
        raw = body.encode()
    return GatewayResponse(int(result.get("statusCode", 200)), headers, raw)
