"""Amazon Data Firehose transformation: a batch of records, ``data`` base64 of the producer's
bytes (a CloudWatch Logs subscription arrives gzip-compressed and is unwrapped).

The handler sees only the kept records; ``merge`` adds ``{"recordId", "result":
"ProcessingFailed", "data": <original data>}`` for every removed or failed record, so Firehose
gets an answer for each record id and sends the failed ones to its error output.
``origins`` returns ``deliveryStreamArn`` when present (some producers omit it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _batch
from ._shape import first_record, record_list

ID = "firehose"
KIND = "batch"
ANCHORS = ("records",)  # matches() is False unless the event has this key
UNTRUSTED: tuple[str, ...] = ()
RECORD_UNTRUSTED = ("data", "kinesisRecordMetadata.partitionKey")
ENCODED: Mapping[str, tuple[str, ...]] = {"data": ("base64",)}


def matches(event: Any) -> bool:
    record = first_record(event, "records")
    return (
        record is not None
        and isinstance(event.get("invocationId"), str)
        and "applicationArn" not in event  # Kinesis Data Analytics preprocessing, not Firehose
        and isinstance(record.get("recordId"), str)
        and isinstance(record.get("data"), str)
    )


def records(event: Mapping[str, Any]) -> list[Any]:
    return record_list(event, "records")


def record_path(index: int, event: Any = None) -> str:
    return f"records[{index}]"


def origins(event: Mapping[str, Any]) -> set[str]:
    arn = event.get("deliveryStreamArn")
    return {arn} if isinstance(arn, str) and arn else set()


def item_id(record: Mapping[str, Any]) -> str:
    return str(record.get("recordId", ""))


def without(event: Mapping[str, Any], indexes: Iterable[int]) -> dict[str, Any]:
    return {**event, "records": _batch.keep(records(event), indexes)}


def merge(result: Any, event: Mapping[str, Any], removed: list[int], failed: list[int]) -> Any:
    """The handler's ``records`` plus ProcessingFailed for the removed and failed records."""
    every = records(event)
    out = dict(result) if isinstance(result, Mapping) else {}
    prior = out.get("records")
    entries = list(prior) if isinstance(prior, list) else []
    answered = {e.get("recordId") for e in entries if isinstance(e, Mapping)}
    for i in sorted(set(removed) | set(failed)):
        if not 0 <= i < len(every) or not isinstance(every[i], Mapping):
            continue
        record = every[i]
        record_id = item_id(record)
        entry = {
            "recordId": record_id,
            "result": "ProcessingFailed",
            "data": record.get("data", ""),
        }
        if record_id in answered:
            entries = [entry if e.get("recordId") == record_id else e for e in entries]
        else:
            entries.append(entry)
    out["records"] = entries
    return out


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    """Every record ProcessingFailed, its data unchanged."""
    return merge(None, event, list(range(len(records(event)))), [])
