"""Amazon SQS: a batch of messages; the body and message attributes are the sender's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._shape import first_record

ID = "sqs"
KIND = "batch"
UNTRUSTED: tuple[str, ...] = ()
RECORD_UNTRUSTED = ("body", "messageAttributes.*.stringValue")
ENCODED: Mapping[str, tuple[str, ...]] = {}


def matches(event: Any) -> bool:
    record = first_record(event)
    return record is not None and record.get("eventSource") == "aws:sqs"


def records(event: Mapping[str, Any]) -> list[Any]:
    return list(event.get("Records") or ())


def record_path(index: int) -> str:
    return f"Records[{index}]"


def origins(event: Mapping[str, Any]) -> set[str]:
    return {str(r.get("eventSourceARN", "")) for r in records(event) if isinstance(r, Mapping)}


def item_id(record: Mapping[str, Any]) -> str:
    return str(record.get("messageId", ""))


def without(event: Mapping[str, Any], indexes: Iterable[int]) -> dict[str, Any]:
    drop = set(indexes)
    return {**event, "Records": [r for i, r in enumerate(records(event)) if i not in drop]}


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
