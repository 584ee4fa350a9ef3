"""AWS AppSync Events APIs, direct Lambda handlers (``onPublish``/``onSubscribe``): the published
events' payloads, the channel path and the request headers are the client's.

``origins`` returns an empty set (the event names the channel namespace, not the API).
A blocked publish answers ``{"events": [], "error": "Forbidden"}`` (nothing is broadcast); a
blocked subscribe answers ``{"error": "Forbidden"}``, which refuses the subscription.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._shape import get, text

ID = "appsync-events"
KIND = "sync"
ANCHORS = ("info",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "events[*].payload.**",
    "events[*].id",
    "info.channel.path",
    "info.channel.segments[*]",
    "request.headers.*",
)
ENCODED: Mapping[str, tuple[str, ...]] = {}


def matches(event: Any) -> bool:
    return text(event, "info", "operation") in ("PUBLISH", "SUBSCRIBE") and isinstance(
        get(event, "info", "channel"), Mapping
    )


def origins(event: Mapping[str, Any]) -> set[str]:
    return set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    if text(event, "info", "operation") == "PUBLISH":
        return {"events": [], "error": "Forbidden"}
    return {"error": "Forbidden"}
