"""Amazon EventBridge: an event from a bus. ``detail`` is whatever the sender put (any
``PutEvents`` caller, or an AWS service describing a resource an outsider may name, such as an
S3 object key, whose ``detail.object.key`` is URL-decoded); ``detail-type``, ``source`` and
``resources`` too (a ``PutEvents`` caller names them). Recognized by ``detail-type``, ``source``
and ``detail``: the envelope fields EventBridge adds (``id``, ``account``, ``time``...) are
missing from hand-written test events and from some samples, which are EventBridge events all
the same.

``origins``: an event delivered by a rule does not name the rule (``resources`` lists the
resources the event is about, e.g. the bucket ARN), so there is no id to compare with a declared
rule ARN: ``origins`` returns an empty set. The origin is checked by ``verify`` instead: an event
a rule delivers matched that rule's event pattern, which the constructs write into the trigger
(``pattern``) when it is literal and supported by ``_event_pattern``. When every declared
EventBridge trigger has a pattern, an event that matches none of them (a forged direct
invocation shaped like an EventBridge event, or a rule added outside the app) is
``unexpected_source``; when any has none (the construct left it out and warned at synth, or an
older policy), any EventBridge event is accepted, as without patterns. A pattern only narrows
what a rule lets through: ``PutEvents`` callers can still send an event that matches it, so
``detail`` stays untrusted. (Scheduled events do name their rule: see ``scheduled``.) Async: no
response.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..model import LIMIT_EXCEEDED, UNEXPECTED_SOURCE, Finding
from ..redact import excerpt
from . import scheduled

if TYPE_CHECKING:
    from ..policy import Trigger

ID = "eventbridge"
KIND = "async"
ANCHORS = ("detail-type",)  # matches() is False unless the event has this key
UNTRUSTED = ("detail-type", "source", "resources[*]")
ENCODED: Mapping[str, tuple[str, ...]] = {}
_KEYS = ("detail-type", "source", "detail")


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


def verify(event: Mapping[str, Any], triggers: Sequence[Trigger]) -> Finding | None:
    """The origin check by event pattern (see the module docstring): None when the event may
    come from a declared rule, else an ``unexpected_source`` finding (``limit_exceeded`` when
    matching it took more than ``MAX_PATTERN_STEPS``: the failure mode decides)."""
    texts = [t.pattern for t in triggers if t.source == ID]
    if not texts or not all(texts):
        return None
    from . import _event_pattern  # with the first event that needs it, not at import

    patterns = [_event_pattern.cached(text) for text in texts]
    if any(p is None for p in patterns):
        return None  # a pattern this runtime cannot match: unverifiable, accepted
    try:
        if _event_pattern.matches_any(event, [p for p in patterns if p is not None]):
            return None
    except _event_pattern.TooMuchWork:
        return Finding("$", LIMIT_EXCEEDED, "", detail="MAX_PATTERN_STEPS")
    sender = event.get("source") if isinstance(event, Mapping) else None
    return Finding(
        "$",
        UNEXPECTED_SOURCE,
        excerpt(sender if isinstance(sender, str) else ""),
        detail=ID,
    )


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
