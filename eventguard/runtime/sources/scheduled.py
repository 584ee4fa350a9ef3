"""EventBridge scheduled rules (``source: aws.events``, ``detail-type: Scheduled Event``).

Nothing in it comes from outside: the rule's own ``detail`` (usually ``{}``) is inspected anyway,
cheaply. ``origins`` returns the rule ARNs listed in ``resources``. Async: no response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._shape import record_list

ID = "scheduled"
KIND = "async"
ANCHORS = ("detail-type",)  # matches() is False unless the event has this key
UNTRUSTED = ("detail.**",)
ENCODED: Mapping[str, tuple[str, ...]] = {}


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and event.get("source") == "aws.events"
        and event.get("detail-type") == "Scheduled Event"
    )


def origins(event: Mapping[str, Any]) -> set[str]:
    return {r for r in record_list(event, "resources") if isinstance(r, str) and r}


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
