"""Amazon API Gateway HTTP API: payload 2.0 (``version: "2.0"``, ``requestContext.http``) and
payload 1.0 (``version: "1.0"``, REST-like).

Attacker text: raw path and query string (form-decoded), cookies, headers, query and path
parameters, method, user agent, the authorizer's context (JWT claims, Lambda authorizer
context) and the body decoded per ``isBase64Encoded`` and Content-Type. Not the peer's own
``requestContext.http.sourceIp``.

``origins`` returns ``requestContext.apiId``. A blocked request answers 403 with a JSON body
``{"message": "Forbidden", "requestId": ...}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _http, api_rest
from ._shape import get, text

ID = "api-http"
KIND = "http"
ANCHORS = ("requestContext",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "rawPath",
    "rawQueryString",
    "cookies[*]",
    "pathParameters.*",
    "requestContext.http.path",
    "requestContext.http.method",
    "requestContext.http.userAgent",
    "requestContext.authorizer.**",
    # payload 1.0
    "path",
    "httpMethod",
    "requestContext.path",
    "requestContext.identity.userAgent",
)
ENCODED: Mapping[str, tuple[str, ...]] = {"rawQueryString": ("form",), "cookies[*]": ("cookie",)}


def is_v2_request(event: Any) -> bool:
    """A payload-2.0 request: version 2.0, ``requestContext.http``, no authorizer ``type``."""
    return (
        isinstance(event, Mapping)
        and event.get("version") == "2.0"
        and isinstance(get(event, "requestContext", "http"), Mapping)
        and "type" not in event
        and "routeArn" not in event
    )


def is_function_url(event: Any) -> bool:
    """Function URLs send payload 2.0 from ``<url-id>.lambda-url.<region>.on.aws``."""
    return ".lambda-url." in text(event, "requestContext", "domainName")


def matches(event: Any) -> bool:
    if is_v2_request(event):
        return not is_function_url(event)
    # The version first: a REST API's request (the commoner) has none, and is_v1_request is
    # the costlier test.
    return (
        isinstance(event, Mapping)
        and event.get("version") == "1.0"
        and api_rest.is_v1_request(event)
        and not api_rest.is_rest_resource(event)
    )


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
