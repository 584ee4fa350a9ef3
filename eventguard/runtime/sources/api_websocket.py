"""Amazon API Gateway WebSocket APIs: ``$connect`` (headers, query string), messages (body) and
``$disconnect`` (``requestContext.connectionId`` and ``eventType``).

``origins`` returns ``requestContext.apiId``. A blocked event answers ``statusCode: 403`` (on
``$connect`` this refuses the connection), with a JSON body that never echoes the message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _http
from ._shape import text

ID = "api-websocket"
KIND = "http"
ANCHORS = ("requestContext",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "pathParameters.*",
    "path",
    "requestContext.identity.userAgent",
    "requestContext.authorizer.**",
)
ENCODED: Mapping[str, tuple[str, ...]] = {}
_EVENTS = ("CONNECT", "MESSAGE", "DISCONNECT")


def matches(event: Any) -> bool:
    return (
        bool(text(event, "requestContext", "connectionId"))
        and text(event, "requestContext", "eventType") in _EVENTS
        and "methodArn" not in event
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
