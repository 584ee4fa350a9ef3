"""Amazon Connect contact flows: contact attributes (often set from what a caller keyed or
said), the flow's parameters and the caller's number.

``origins`` returns ``Details.ContactData.InstanceARN``. A blocked invocation raises
``PermissionError``: the flow takes its error branch (Connect wants a flat string map, and any
answer would be read as data).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._shape import get, text

ID = "connect"
KIND = "sync"
ANCHORS = ("Details",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "Details.ContactData.Attributes.*",
    "Details.ContactData.CustomerEndpoint.Address",
    "Details.ContactData.SegmentAttributes.**",
    "Details.Parameters.*",
)
ENCODED: Mapping[str, tuple[str, ...]] = {}


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and event.get("Name") in ("ContactFlowEvent", "ContactFlowExecution")
        and isinstance(get(event, "Details", "ContactData"), Mapping)
    )


def origins(event: Mapping[str, Any]) -> set[str]:
    arn = text(event, "Details", "ContactData", "InstanceARN")
    return {arn} if arn else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    raise PermissionError(f"Request blocked by eventguard (request {request_id})")
