"""Application Load Balancer target groups (``requestContext.elb``), with or without
multi-value headers.

ALB passes query parameter names and values still percent-encoded (``<url>`` decodes them).
Headers (a Cookie header split into cookies), path, method and the body per ``isBase64Encoded``
and Content-Type are attacker text.

``origins`` returns ``requestContext.elb.targetGroupArn``. A blocked request answers 403 with
``statusDescription`` and a JSON body; when the event has ``multiValueHeaders`` (multi-value mode
on), the response uses ``multiValueHeaders`` as ALB then requires.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _http
from ._shape import get, text

ID = "alb"
KIND = "http"
ANCHORS = ("requestContext",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "path",
    "httpMethod",
)
ENCODED: Mapping[str, tuple[str, ...]] = {}


def matches(event: Any) -> bool:
    return bool(text(event, "requestContext", "elb", "targetGroupArn")) and isinstance(
        get(event, "httpMethod"), str
    )


def values(event: Any, prefix: str) -> Iterable[tuple[str, Any, tuple[str, ...]]]:
    return _http.request_fields(event, prefix, query_chain=("url",))


def origins(event: Mapping[str, Any]) -> set[str]:
    arn = text(event, "requestContext", "elb", "targetGroupArn")
    return {arn} if arn else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    multi = isinstance(event.get("multiValueHeaders"), Mapping)
    return _http.forbidden(request_id, status_description=True, multi=multi)


def error_response(event: Mapping[str, Any], status: int, request_id: str) -> dict[str, Any]:
    """What the caller gets when the handler itself failed (no traceback leaks)."""
    multi = isinstance(event.get("multiValueHeaders"), Mapping)
    return _http.response(status, request_id, status_description=True, multi=multi)
