"""Amazon API Gateway REST API, Lambda proxy integration (payload 1.0).

Attacker text: the path, method, headers (single- and multi-value; a Cookie header is split
into cookies), query string and path parameters, the user agent, the authorizer's context (it
carries token claims) and the body, decoded per ``isBase64Encoded`` and Content-Type (JSON, form,
multipart, XML; other types sniffed). The caller's address (``requestContext.identity.sourceIp``)
is the peer's own, not text it chose.

``origins`` returns ``requestContext.apiId``. A blocked request answers 403 with a JSON body
``{"message": "Forbidden", "requestId": ...}`` that never echoes the request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _http
from ._shape import get, text

ID = "api-rest"
KIND = "http"
ANCHORS = ("requestContext",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "path",
    "httpMethod",
    "pathParameters.*",
    "requestContext.path",
    "requestContext.identity.userAgent",
    "requestContext.authorizer.**",
)
ENCODED: Mapping[str, tuple[str, ...]] = {}


def is_v1_request(event: Any) -> bool:
    """A payload-1.0 proxy request: method and path at the top, an API id, no ELB or socket.

    A WebSocket message is told by its ``eventType``, not by a ``connectionId``: some REST
    samples (the .NET library's proxy event) carry a connection id without being one."""
    return (
        isinstance(event, Mapping)
        and isinstance(event.get("httpMethod"), str)
        and "path" in event
        and bool(text(event, "requestContext", "apiId"))  # text() is always a str
        and get(event, "requestContext", "elb") is None
        and get(event, "requestContext", "eventType") is None
        and "methodArn" not in event
    )


def is_rest_resource(event: Mapping[str, Any]) -> bool:
    """``requestContext.resourceId`` names a REST API resource (``"roq9wj"``), not an HTTP API
    route (``"ANY /request"``, ``"$default"``) or nothing (HTTP API payload 1.0 sends null):
    SAM CLI's ``start-api`` writes ``version: "1.0"`` into REST API requests too."""
    resource = get(event, "requestContext", "resourceId")
    stage = get(event, "requestContext", "stage")
    return (
        isinstance(resource, str)
        and bool(resource)
        and " " not in resource
        and not resource.startswith("$")
        and stage != "$default"
    )


def matches(event: Any) -> bool:
    if not is_v1_request(event):
        return False
    version = event.get("version")
    return version is None or (version == "1.0" and is_rest_resource(event))


def values(event: Any, prefix: str) -> Iterable[tuple[str, Any, tuple[str, ...]]]:
    return _http.request_fields(event, prefix)


def origins(event: Mapping[str, Any]) -> set[str]:
    api = text(event, "requestContext", "apiId")
    return {api} if api else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    return _http.forbidden(request_id)


def error_response(event: Mapping[str, Any], status: int, request_id: str) -> dict[str, Any]:
    """What the caller gets when the handler itself failed (no traceback leaks)."""
    return _http.response(status, request_id)
