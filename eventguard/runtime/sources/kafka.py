"""Apache Kafka, Amazon MSK (``aws:kafka``) and self-managed (``SelfManagedKafka``, also sent
as ``aws:SelfManagedKafka``): records grouped by ``topic-partition``; key and value are base64,
header values are byte arrays.

A record's path is ``records.<topic-partition>[i]``; its batch index counts records across
partitions in the event's order. ``origins`` returns ``eventSourceArn`` (the MSK cluster ARN;
self-managed clusters have none, then the bootstrap servers string). Kafka has no partial batch
response: ``merge`` raises ``_batch.RetryBatch`` when records must be reported failed, so Lambda
retries the whole batch; quarantined (removed) records need nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from . import _batch

ID = "kafka"
KIND = "batch"
ANCHORS = ("records",)  # matches() is False unless the event has this key
UNTRUSTED: tuple[str, ...] = ()
RECORD_UNTRUSTED = ("key", "value")
ENCODED: Mapping[str, tuple[str, ...]] = {"key": ("base64",), "value": ("base64",)}
_SOURCES = ("aws:kafka", "SelfManagedKafka", "aws:SelfManagedKafka")


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and event.get("eventSource") in _SOURCES
        and isinstance(event.get("records"), Mapping)
    )


def _groups(event: Mapping[str, Any]) -> list[tuple[str, list[Any]]]:
    groups = event.get("records")
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
                return f"records.{key}[{index - seen}]"
            seen += len(group)
    return f"records[{index}]"


def values(record: Any, prefix: str) -> Iterator[tuple[str, Any, tuple[str, ...]]]:
    """Header names, and header values decoded from their byte arrays."""
    headers = record.get("headers") if isinstance(record, Mapping) else None
    for i, header in enumerate(headers if isinstance(headers, list) else ()):
        if not isinstance(header, Mapping):
            continue
        for name, raw in header.items():
            yield f"{prefix}.headers[{i}].{name}<key>", str(name), ()
            yield f"{prefix}.headers[{i}].{name}", raw, ("bytes",)


def origins(event: Mapping[str, Any]) -> set[str]:
    for key in ("eventSourceArn", "bootstrapServers"):
        value = event.get(key)
        if isinstance(value, str) and value:
            return {value}
    return set()


def item_id(record: Mapping[str, Any]) -> str:
    return f"{record.get('topic', '')}-{record.get('partition', '')}-{record.get('offset', '')}"


def without(event: Mapping[str, Any], indexes: Iterable[int]) -> dict[str, Any]:
    drop = set(indexes)
    kept: dict[str, list[Any]] = {}
    seen = 0
    for key, group in _groups(event):
        rest = [r for i, r in enumerate(group, start=seen) if i not in drop]
        seen += len(group)
        if rest:
            kept[key] = rest
    return {**event, "records": kept}


def merge(result: Any, event: Mapping[str, Any], removed: list[int], failed: list[int]) -> Any:
    """The handler's result; ``RetryBatch`` when any record failed (no partial response)."""
    return _batch.retry_if_failed(result, failed, ID)


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
