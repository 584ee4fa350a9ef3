"""Amazon DynamoDB Streams: a batch of change records whose images hold what was written.

Typed attribute values are read by type: ``S``/``SS`` text, ``B``/``BS`` base64, ``M``/``L``
walked, attribute names inspected; numbers, booleans and nulls are not free text. Tumbling-window
events (``window``, ``state``) carry the same records. ``origins`` returns each record's
``eventSourceARN`` (the stream ARN); ``item_id`` is the sequence number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _batch, _ddb
from ._shape import record_list, record_source, strings_of, text

ID = "dynamodb-stream"
KIND = "batch"
ANCHORS = ("Records",)  # matches() is False unless the event has this key
UNTRUSTED: tuple[str, ...] = ()
RECORD_UNTRUSTED: tuple[str, ...] = ()
ENCODED: Mapping[str, tuple[str, ...]] = {}


def matches(event: Any) -> bool:
    return record_source(event) == "aws:dynamodb"


def values(record: Any, prefix: str) -> Iterable[tuple[str, Any, tuple[str, ...]]]:
    return _ddb.change_record(record, prefix)


def records(event: Mapping[str, Any]) -> list[Any]:
    return record_list(event, "Records")


def record_path(index: int, event: Any = None) -> str:
    return f"Records[{index}]"


def origins(event: Mapping[str, Any]) -> set[str]:
    return strings_of(records(event), "eventSourceARN")


def item_id(record: Mapping[str, Any]) -> str:
    return text(record, "dynamodb", "SequenceNumber")


def without(event: Mapping[str, Any], indexes: Iterable[int]) -> dict[str, Any]:
    return {**event, "Records": _batch.keep(records(event), indexes)}


def merge(result: Any, event: Mapping[str, Any], removed: list[int], failed: list[int]) -> Any:
    """Failed records become ``batchItemFailures`` (Lambda retries from the lowest one)."""
    return _batch.item_failures(result, records(event), failed, item_id)


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
