"""The committed OpenAPI document is the one the code generates, and covers every route."""

from __future__ import annotations

import json

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
