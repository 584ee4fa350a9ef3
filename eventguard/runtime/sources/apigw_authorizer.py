"""Amazon API Gateway Lambda authorizers: TOKEN (``authorizationToken``), REQUEST payload 1.0
(REST, WebSocket, or HTTP API 1.0: headers, query, path, ``methodArn``) and HTTP API payload 2.0
(``routeArn``, identity sources, cookies, raw query string).

``origins`` returns the API id, the third field of the ``methodArn``/``routeArn`` resource
(``arn:aws:execute-api:region:account:API_ID/stage/...``). A blocked request answers a Deny
policy for the method; payload 2.0 answers also carry ``isAuthorized: false`` so an authorizer
with simple responses enabled refuses as well.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from . import _http

ID = "apigw-authorizer"
KIND = "sync"
ANCHORS = ("type",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "authorizationToken",
    "identitySource",
    "identitySource[*]",
    "path",
    "rawPath",
    "rawQueryString",
    "cookies[*]",
    "pathParameters.*",
    "requestContext.path",
    "requestContext.http.path",
    "requestContext.http.userAgent",
    "requestContext.identity.userAgent",
)
ENCODED: Mapping[str, tuple[str, ...]] = {"rawQueryString": ("form",), "cookies[*]": ("cookie",)}


def _arn(event: Mapping[str, Any]) -> str:
    arn = event.get("methodArn", event.get("routeArn", ""))
    return arn if isinstance(arn, str) else ""


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and event.get("type") in ("TOKEN", "REQUEST")
        and _arn(event).startswith("arn:")
    )


def values(event: Any, prefix: str) -> Iterator[tuple[str, Any, tuple[str, ...]]]:
    if isinstance(event, Mapping):
        yield from _http.header_fields(event, prefix)
        yield from _http.query_fields(event, prefix)


def origins(event: Mapping[str, Any]) -> set[str]:
    resource = _arn(event).split(":", 5)[-1]
    api = resource.partition("/")[0]
    return {api} if api else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "principalId": "eventguard-blocked",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": _arn(event) or "*"}
            ],
        },
    }
    if event.get("version") == "2.0":
        response["isAuthorized"] = False
    return response
