"""AWS CodeCommit triggers: branch and tag names (``references[*].ref``) are chosen by whoever
pushes; ``customData`` is the trigger's configured text.

``origins`` returns each record's ``eventSourceARN`` (the repository ARN). Async: no response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._shape import record_list, record_source, strings_of

ID = "codecommit"
KIND = "async"
ANCHORS = ("Records",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "Records[*].codecommit.references[*].ref",
    "Records[*].customData",
    "Records[*].eventTriggerName",
)
ENCODED: Mapping[str, tuple[str, ...]] = {}


def matches(event: Any) -> bool:
    return record_source(event) == "aws:codecommit"


def origins(event: Mapping[str, Any]) -> set[str]:
    return strings_of(record_list(event, "Records"), "eventSourceARN")


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
