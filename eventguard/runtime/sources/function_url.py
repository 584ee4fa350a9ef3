"""AWS Lambda function URLs (payload 2.0 from ``<url-id>.lambda-url.<region>.on.aws``).

The same attacker text as an HTTP API request: raw path and query, cookies, headers, query
parameters, method, user agent, and the body per ``isBase64Encoded`` and Content-Type.

``origins`` returns the URL id, ``requestContext.domainPrefix`` (also in ``apiId``): the first
label of the function URL's host name, which the FunctionUrl trigger writes as its id.
A blocked request answers 403 with a JSON body ``{"message": "Forbidden", "requestId": ...}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _http, api_http
from ._shape import text

ID = "function-url"
KIND = "http"
ANCHORS = ("requestContext",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "rawPath",
    "rawQueryString",
    "cookies[*]",
    "requestContext.http.path",
    "requestContext.http.method",
    "requestContext.http.userAgent",
)
ENCODED: Mapping[str, tuple[str, ...]] = {"rawQueryString": ("form",), "cookies[*]": ("cookie",)}


def matches(event: Any) -> bool:
    return api_http.is_v2_request(event) and api_http.is_function_url(event)


def values(event: Any, prefix: str) -> Iterable[tuple[str, Any, tuple[str, ...]]]:
    return _http.request_fields(event, prefix)


def origins(event: Mapping[str, Any]) -> set[str]:
    url_id = (
        text(event, "requestContext", "domainPrefix")
        or text(event, "requestContext", "domainName").partition(".")[0]
    )
    return {url_id} if url_id else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    return _http.forbidden(request_id)


def error_response(event: Mapping[str, Any], status: int, request_id: str) -> dict[str, Any]:
    """What the caller gets when the handler itself failed (no traceback leaks)."""
    return _http.response(status, request_id)
