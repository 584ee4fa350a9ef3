"""AWS IoT: a topic rule forwards whatever a device published (the rule's SQL picks the shape), and
the IoT button / IoT 1-Click send their click events.

A rule's payload is arbitrary JSON with no field that says where it came from, so only the button
shapes are recognized here; any other IoT payload is recognized as ``direct``, which inspects
every string. ``origins`` returns an empty set (the event names no rule or thing, and a device
writes its own serial number). Async: no response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ID = "iot"
KIND = "async"
ANCHORS = ("clickType", "deviceEvent")  # matches() is False unless the event has one of these keys
UNTRUSTED = ("**",)
ENCODED: Mapping[str, tuple[str, ...]] = {}
_CLICKS = ("SINGLE", "DOUBLE", "LONG")


def matches(event: Any) -> bool:
    if not isinstance(event, Mapping):
        return False
    if event.get("clickType") in _CLICKS and isinstance(event.get("serialNumber"), str):
        return True  # IoT button
    clicked = event.get("deviceEvent")
    return (
        isinstance(clicked, Mapping)
        and isinstance(clicked.get("buttonClicked"), Mapping)
        and isinstance(event.get("deviceInfo"), Mapping)
    )


def origins(event: Any) -> set[str]:
    return set()


def blocked_response(event: Any, verdict: Any, request_id: str) -> None:
    return None
