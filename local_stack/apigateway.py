"""Events shaped as API Gateway (REST, proxy integration) sends them to Lambda."""

from __future__ import annotations

import base64
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from .provision import ACCOUNT_ID, REGION

STAGE = "prod"
API_ID = "local"


def _single(values: dict[str, list[str]]) -> dict[str, str] | None:
    # API Gateway keeps the last value of a repeated header or query parameter.
    return {k: v[-1] for k, v in values.items()} or None


def _request_context(
    method: str, path: str, resource: str, source_ip: str, user_agent: str
) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "accountId": ACCOUNT_ID,
        "apiId": API_ID,
        "domainName": "localhost",
        "domainPrefix": "localhost",
        "extendedRequestId": str(uuid.uuid4()),
        "httpMethod": method,
        "identity": {
            "accessKey": None,
            "accountId": None,
            "caller": None,
            "cognitoAuthenticationProvider": None,
            "cognitoAuthenticationType": None,
            "cognitoIdentityId": None,
            "cognitoIdentityPoolId": None,
            "principalOrgId": None,
            "sourceIp": source_ip,
            "user": None,
            "userAgent": user_agent,
            "userArn": None,
        },
        "path": f"/{STAGE}{path}",
        "protocol": "HTTP/1.1",
        "requestId": str(uuid.uuid4()),
        "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "requestTimeEpoch": int(time.time() * 1000),
        "resourceId": uuid.uuid4().hex[:6],
        "resourcePath": resource,
        "stage": STAGE,
    }


def proxy_event(
    method: str,
    path: str,
    resource: str,
    path_parameters: dict[str, str] | None = None,
    query: dict[str, list[str]] | None = None,
    headers: dict[str, list[str]] | None = None,
    body: bytes | None = None,
    authorizer: dict[str, Any] | None = None,
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    """A REST API proxy event: single- and multi-value forms, request context, authorizer."""
    headers = headers or {}
    query = query or {}
    is_binary = False
    text: str | None = None
    if body:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text, is_binary = base64.b64encode(body).decode(), True
    user_agent = next(iter(headers.get("User-Agent", headers.get("user-agent", [""]))), "")
    context = _request_context(method, path, resource, source_ip, user_agent)
    if authorizer is not None:
        context["authorizer"] = authorizer
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": _single(headers),
        "multiValueHeaders": headers or None,
        "queryStringParameters": _single(query),
        "multiValueQueryStringParameters": query or None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": context,
        "body": text,
        "isBase64Encoded": is_binary,
    }


def authorizer_request_event(proxy: dict[str, Any]) -> dict[str, Any]:
    """The REQUEST authorizer's event for a proxy request."""
    context = dict(proxy["requestContext"])
    context.pop("authorizer", None)
    method_arn = (
        f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{API_ID}/{STAGE}/"
        f"{proxy['httpMethod']}{proxy['resource']}"
    )
    return {
        "type": "REQUEST",
        "methodArn": method_arn,
        "resource": proxy["resource"],
        "path": proxy["path"],
        "httpMethod": proxy["httpMethod"],
        "headers": proxy["headers"] or {},
        "multiValueHeaders": proxy["multiValueHeaders"] or {},
        "queryStringParameters": proxy["queryStringParameters"] or {},
        "multiValueQueryStringParameters": proxy["multiValueQueryStringParameters"] or {},
        "pathParameters": proxy["pathParameters"] or {},
        "stageVariables": {},
        "requestContext": context,
    }


def authorizer_context(policy: dict[str, Any]) -> dict[str, Any]:
    """What API Gateway puts in requestContext.authorizer after an Allow."""
    return {
        **dict((policy.get("context") or {}).items()),
        "principalId": policy.get("principalId"),
        "integrationLatency": 0,
    }


def policy_allows(policy: dict[str, Any]) -> bool:
    statements = policy.get("policyDocument", {}).get("Statement", [])
    return any(s.get("Effect") == "Allow" for s in statements) and not any(
        s.get("Effect") == "Deny" for s in statements
    )
