"""Amazon SQS: a batch of messages; the body and message attributes are the sender's.

``origins`` returns each record's ``eventSourceARN`` (the queue ARN). A body is producer-defined:
JSON in it is decoded and every string inspected, and an envelope inside (an SNS notification
from a subscription, an S3 or EventBridge event) is unwrapped with its own decoders. A body whose
message attribute ``contentType`` (or ``Content-Type``, any case: what Spring, MassTransit and
other producers set) names a media type is decoded as an HTTP body of that Content-Type is: an
XML document is then read as its parts, not as HTML. FIFO queues: ``message_group`` lets the
wrapper fail the records after a blocked one in the same group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _batch
from ._hooks import Chain
from ._http import attribute_chain
from ._shape import record_list, record_source, strings_of

ID = "sqs"
KIND = "batch"
ANCHORS = ("Records",)  # matches() is False unless the event has this key
UNTRUSTED: tuple[str, ...] = ()
RECORD_UNTRUSTED = (
    "body",
    "messageAttributes.*.stringValue",
    "messageAttributes.*.stringListValues[*]",
    "messageAttributes.*.binaryValue",
    "messageAttributes.*.binaryListValues[*]",
)


def body_chain(record: Any) -> Chain:
    """The decoders the message's content-type attribute declares for its body, or none."""
    attributes = record.get("messageAttributes") if isinstance(record, Mapping) else None
    return attribute_chain(attributes, "stringValue")


ENCODED: Mapping[str, Any] = {
    "body": body_chain,
    "messageAttributes.*.binaryValue": ("base64",),
    "messageAttributes.*.binaryListValues[*]": ("base64",),
}


def matches(event: Any) -> bool:
    return record_source(event) == "aws:sqs"


def records(event: Mapping[str, Any]) -> list[Any]:
    return record_list(event, "Records")


def record_path(index: int, event: Any = None) -> str:
    return f"Records[{index}]"


def origins(event: Mapping[str, Any]) -> set[str]:
    return strings_of(records(event), "eventSourceARN")


def item_id(record: Mapping[str, Any]) -> str:
    return str(record.get("messageId", ""))


def message_group(record: Mapping[str, Any]) -> str | None:
    """The FIFO message group id, or None for a standard queue."""
    attributes = record.get("attributes")
    group = attributes.get("MessageGroupId") if isinstance(attributes, Mapping) else None
    return group if isinstance(group, str) else None


def without(event: Mapping[str, Any], indexes: Iterable[int]) -> dict[str, Any]:
    return {**event, "Records": _batch.keep(records(event), indexes)}


def merge(result: Any, event: Mapping[str, Any], removed: list[int], failed: list[int]) -> Any:
    """Failed records become ``batchItemFailures`` (redelivered); removed ones were quarantined."""
    return _batch.item_failures(result, records(event), failed, item_id)


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
