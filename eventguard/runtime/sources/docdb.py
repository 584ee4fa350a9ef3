"""Amazon DocumentDB change streams (``aws:docdb``): a batch of MongoDB change events under
``events[i].event``.

What the application stored is what an attacker sent it: the changed document
(``fullDocument``, and ``fullDocumentBeforeChange`` where the cluster keeps it), the fields of an
update (``updateDescription``: updated values with their names, removed and truncated field
names) and the document key, keys included (a field named ``$where`` or ``__proto__`` is the
attack). The namespace, the operation type, the resume token and the cluster time are written
by the service and are not inspected.

A record's path is ``events[i]``. ``origins`` returns ``eventSourceArn`` (the cluster ARN).
``item_id`` is the change's resume token. Lambda retries a failed DocumentDB batch as a whole
(there is no partial batch response): ``merge`` raises ``_batch.RetryBatch`` when records must be
reported failed; quarantined (removed) records need nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import _batch

ID = "docdb"
KIND = "batch"
ANCHORS = ("events",)  # matches() is False unless the event has this key
UNTRUSTED: tuple[str, ...] = ()
RECORD_UNTRUSTED = (
    "event.fullDocument.**",
    "event.fullDocumentBeforeChange.**",
    "event.documentKey.**",
    "event.updateDescription.updatedFields.**",
    "event.updateDescription.removedFields[*]",
    "event.updateDescription.truncatedArrays[*].field",
)


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and event.get("eventSource") == "aws:docdb"
        and isinstance(event.get("events"), list)
    )


def records(event: Mapping[str, Any]) -> list[Any]:
    events = event.get("events")
    return list(events) if isinstance(events, list) else []


def record_path(index: int, event: Any = None) -> str:
    return f"events[{index}]"


def origins(event: Mapping[str, Any]) -> set[str]:
    arn = event.get("eventSourceArn")
    return {arn} if isinstance(arn, str) and arn else set()


def item_id(record: Mapping[str, Any]) -> str:
    change = record.get("event") if isinstance(record, Mapping) else None
    token = change.get("_id") if isinstance(change, Mapping) else None
    value = token.get("_data") if isinstance(token, Mapping) else None
    return str(value or "")


def without(event: Mapping[str, Any], indexes: Iterable[int]) -> dict[str, Any]:
    return {**event, "events": _batch.keep(records(event), indexes)}


def merge(result: Any, event: Mapping[str, Any], removed: list[int], failed: list[int]) -> Any:
    """The handler's result; ``RetryBatch`` when any record failed (no partial response)."""
    return _batch.retry_if_failed(result, failed, ID)


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
