"""The committed OpenAPI document is the one the code generates, and covers every route."""

from __future__ import annotations

import json
from typing import Any

from local_stack.openapi import DOCUMENT_PATH, build_document, render
from local_stack.template import StackTemplate, load_template


def test_committed_document_is_current() -> None:
    generated = render(build_document())
    assert DOCUMENT_PATH.read_text() == generated, "run: python -m local_stack.openapi"


def test_every_template_route_is_documented() -> None:
    document = json.loads(DOCUMENT_PATH.read_text())
    for route in StackTemplate(load_template()).api_routes():
        path = route.path
        assert route.method.lower() in document["paths"][path], f"{route.method} {path}"


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = json.loads(DOCUMENT_PATH.read_text())
    return [
        (method, path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_operation_is_tagged_described_and_documents_every_status() -> None:
    document = json.loads(DOCUMENT_PATH.read_text())
    tags = {t["name"] for t in document["tags"]}
    assert document["components"]["securitySchemes"]["ApiKey"]["name"] == "X-API-Key"
    for method, path, operation in _operations():
        where = f"{method.upper()} {path}"
        assert operation["tags"], where
        assert set(operation["tags"]) <= tags, where
        assert operation["summary"], where
        assert operation["description"], where
        responses: dict[str, Any] = operation["responses"]
        if path.endswith("/oauth/callback"):  # the provider's redirect: the state authenticates
            assert "security" not in operation, where
            assert {"302", "400"} <= set(responses), where
            continue
        # SmartLead's clients send the key in the api_key query parameter; either is taken.
        either: list[dict[str, list[str]]] = [{"ApiKey": []}, {"ApiKeyQuery": []}]
        smartlead = operation["tags"] == ["smartlead"]
        assert operation["security"] == (either if smartlead else [{"ApiKey": []}]), where
        expected = {"401", "403", "422", "429", "503"}
        if "{" in path:
            expected.add("404")
        if method == "patch" or (method == "post" and "requestBody" in operation):
            expected |= {"409", "413", "415"}
        assert expected <= set(responses), (where, sorted(responses))
        assert any(code in responses for code in ("200", "201", "202")), where
        for status, response in responses.items():
            content = response["content"]["application/json"]
            assert content["schema"], (where, status)
            if status >= "400":
                assert content["example"]["error_code"], (where, status)


def test_documented_success_statuses_are_the_ones_answered(workspace: Any) -> None:
    client = workspace()
    documented = {(m, p): set(o["responses"]) for m, p, o in _operations()}
    created = client.call("POST", "/domains", {"domain": "documented.example.test"})
    assert str(created.status) in documented[("post", "/api/public/v1/domains")]
    listed = client.call("GET", "/domains")
    assert str(listed.status) in documented[("get", "/api/public/v1/domains")]
    body = {"inbox_ids": ["00000000-0000-4000-8000-0000000000aa"]}
    accepted = client.call("POST", "/sender-accounts/bulk/check", body)
    path = "/api/public/v1/sender-accounts/bulk/check"
    assert str(accepted.status) in documented[("post", path)]
