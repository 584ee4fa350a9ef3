"""Amazon Kinesis Data Streams: a batch of records, ``data`` base64 of what the producer wrote.

The data is decoded (base64, then gzip when compressed, then JSON when it is JSON): a CloudWatch
Logs subscription or a DynamoDB change record carried by the stream is unwrapped.
``origins`` returns each record's ``eventSourceARN`` (the stream ARN); ``item_id`` is the
sequence number, as partial batch responses require.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _batch
from ._shape import record_list, record_source, strings_of, text

ID = "kinesis"
KIND = "batch"
ANCHORS = ("Records",)  # matches() is False unless the event has this key
UNTRUSTED: tuple[str, ...] = ()
RECORD_UNTRUSTED = ("kinesis.data", "kinesis.partitionKey")
ENCODED: Mapping[str, tuple[str, ...]] = {"kinesis.data": ("base64",)}


def matches(event: Any) -> bool:
    return record_source(event) == "aws:kinesis"


def records(event: Mapping[str, Any]) -> list[Any]:
    return record_list(event, "Records")


def record_path(index: int, event: Any = None) -> str:
    return f"Records[{index}]"


def origins(event: Mapping[str, Any]) -> set[str]:
    return strings_of(records(event), "eventSourceARN")


def item_id(record: Mapping[str, Any]) -> str:
    return text(record, "kinesis", "sequenceNumber")


def without(event: Mapping[str, Any], indexes: Iterable[int]) -> dict[str, Any]:
    return {**event, "Records": _batch.keep(records(event), indexes)}


def merge(result: Any, event: Mapping[str, Any], removed: list[int], failed: list[int]) -> Any:
    """Failed records become ``batchItemFailures`` (Lambda retries from the lowest one)."""
    return _batch.item_failures(result, records(event), failed, item_id)


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
