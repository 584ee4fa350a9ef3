"""Amazon MQ: ActiveMQ (``aws:mq``/``aws:amq``, ``messages``) and RabbitMQ (``aws:rmq``,
``rmqMessagesByQueue``); message ``data`` is base64.

RabbitMQ message paths are ``rmqMessagesByQueue.<queue::vhost>[i]``; the batch index counts
messages across queues. ``origins`` returns ``eventSourceArn`` (the broker ARN). Amazon MQ has no
partial batch response: ``merge`` raises ``_batch.RetryBatch`` when records must be reported
failed, so Lambda retries the whole batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from . import _batch

ID = "mq"
KIND = "batch"
ANCHORS = ("eventSource",)  # matches() is False unless the event has this key
UNTRUSTED: tuple[str, ...] = ()
RECORD_UNTRUSTED = (
    "data",
    "properties.*",
    "correlationID",
    "replyTo",
    "type",
    "basicProperties.headers.*",
    "basicProperties.contentType",
    "basicProperties.correlationId",
    "basicProperties.replyTo",
    "basicProperties.type",
    "basicProperties.messageId",
    "basicProperties.userId",
    "basicProperties.appId",
)
ENCODED: Mapping[str, tuple[str, ...]] = {"data": ("base64",)}
_ACTIVEMQ = ("aws:mq", "aws:amq")


def matches(event: Any) -> bool:
    if not isinstance(event, Mapping):
        return False
    source = event.get("eventSource")
    if source in _ACTIVEMQ:
        return isinstance(event.get("messages"), list)
    return source == "aws:rmq" and isinstance(event.get("rmqMessagesByQueue"), Mapping)


def _groups(event: Mapping[str, Any]) -> list[tuple[str, list[Any]]]:
    if event.get("eventSource") in _ACTIVEMQ:
        messages = event.get("messages")
        return [("", list(messages))] if isinstance(messages, list) else []
    groups = event.get("rmqMessagesByQueue")
    if not isinstance(groups, Mapping):
        return []
    return [(str(k), list(v)) for k, v in groups.items() if isinstance(v, list)]


def records(event: Mapping[str, Any]) -> list[Any]:
    return [record for _, group in _groups(event) for record in group]


def record_path(index: int, event: Any = None) -> str:
    if isinstance(event, Mapping):
        seen = 0
        for key, group in _groups(event):
            if index < seen + len(group):
                return f"rmqMessagesByQueue.{key}[{index - seen}]" if key else f"messages[{index}]"
            seen += len(group)
    return f"messages[{index}]"


def values(record: Any, prefix: str) -> Iterator[tuple[str, Any, tuple[str, ...]]]:
    """RabbitMQ string headers arrive as ``{"bytes": [...]}``: decoded from the byte array."""
    headers = record.get("basicProperties") if isinstance(record, Mapping) else None
    headers = headers.get("headers") if isinstance(headers, Mapping) else None
    if not isinstance(headers, Mapping):
        return
    for name, value in headers.items():
        if isinstance(value, Mapping) and isinstance(value.get("bytes"), list):
            yield f"{prefix}.basicProperties.headers.{name}.bytes", value["bytes"], ("bytes",)


def origins(event: Mapping[str, Any]) -> set[str]:
    arn = event.get("eventSourceArn")
    return {arn} if isinstance(arn, str) and arn else set()


def item_id(record: Mapping[str, Any]) -> str:
    value = record.get("messageID")
    if value is None:
        props = record.get("basicProperties")
        value = props.get("messageId") if isinstance(props, Mapping) else ""
    return str(value or "")


def without(event: Mapping[str, Any], indexes: Iterable[int]) -> dict[str, Any]:
    drop = set(indexes)
    if event.get("eventSource") in _ACTIVEMQ:
        return {**event, "messages": _batch.keep(records(event), drop)}
    kept: dict[str, list[Any]] = {}
    seen = 0
    for key, group in _groups(event):
        rest = [r for i, r in enumerate(group, start=seen) if i not in drop]
        seen += len(group)
        if rest:
            kept[key] = rest
    return {**event, "rmqMessagesByQueue": kept}


def merge(result: Any, event: Mapping[str, Any], removed: list[int], failed: list[int]) -> Any:
    """The handler's result; ``RetryBatch`` when any record failed (no partial response)."""
    return _batch.retry_if_failed(result, failed, ID)


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
