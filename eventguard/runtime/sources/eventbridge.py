"""Amazon EventBridge: an event from a bus. ``detail`` is whatever the sender put (any
``PutEvents`` caller, or an AWS service describing a resource an outsider may name, such as an
S3 object key, whose ``detail.object.key`` is URL-decoded); ``detail-type`` too.

``origins``: an event delivered by a rule does not name the rule (``resources`` lists the
resources the event is about, e.g. the bucket ARN), so there is nothing to compare with a
declared rule ARN: ``origins`` returns an empty set and origin verification accepts any
EventBridge event once an EventBridge trigger is declared. (Scheduled events do name their rule:
see ``scheduled``.) Async: no response.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from . import scheduled

ID = "eventbridge"
KIND = "async"
ANCHORS = ("detail-type",)  # matches() is False unless the event has this key
UNTRUSTED = ("detail-type",)
ENCODED: Mapping[str, tuple[str, ...]] = {}
_KEYS = ("detail-type", "source", "detail", "account", "id")


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and all(k in event for k in _KEYS)
        and isinstance(event.get("source"), str)
        and isinstance(event.get("detail-type"), str)
        and not scheduled.matches(event)
    )


def values(event: Any, prefix: str) -> Iterator[tuple[str, Any, tuple[str, ...]]]:
    """The whole ``detail``, with an S3 object key declared URL-encoded."""
    detail = event.get("detail") if isinstance(event, Mapping) else None
    if isinstance(detail, Mapping) and event.get("source") == "aws.s3":
        obj = detail.get("object")
        for key, value in detail.items():
            if key == "object" and isinstance(obj, Mapping):
                yield "detail.object<key>", "object", ()
                for name, item in obj.items():
                    chain = ("url",) if name == "key" else ()
                    yield f"detail.object.{name}<key>", str(name), ()
                    yield f"detail.object.{name}", item, chain
            else:
                yield f"detail.{key}<key>", str(key), ()
                yield f"detail.{key}", value, ()
    elif detail is not None:
        yield "detail", detail, ()


def origins(event: Mapping[str, Any]) -> set[str]:
    return set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
