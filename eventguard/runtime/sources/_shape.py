"""Small shape tests shared by the source modules' ``matches`` functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def first_record(event: Any, key: str = "Records") -> Mapping[str, Any] | None:
    """The first record of ``event[key]`` when it is a non-empty list of objects, else None."""
    if type(event) is not dict and not isinstance(event, Mapping):
        return None
    records = event.get(key)
    if (type(records) is list or isinstance(records, Sequence)) and records:
        first = records[0] if not isinstance(records, str) else None
        if type(first) is dict or isinstance(first, Mapping):
            return first
    return None


def record_source(event: Any) -> str:
    """``Records[0].eventSource`` (or ``EventSource``, as SNS spells it), else empty."""
    record = first_record(event)
    if record is None:
        return ""
    value = record.get("eventSource", record.get("EventSource", ""))
    return value if isinstance(value, str) else ""


def get(event: Any, *keys: str) -> Any:
    """``event[k1][k2]...`` or None when any step is missing or not an object."""
    value = event
    for key in keys:
        if type(value) is not dict and not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def text(event: Any, *keys: str) -> str:
    """Like ``get`` but a string: empty unless the value is a string."""
    value = get(event, *keys)
    return value if isinstance(value, str) else ""


def record_list(event: Any, key: str) -> list[Any]:
    """``event[key]`` when it is a list, else an empty list."""
    value = event.get(key) if isinstance(event, Mapping) else None
    return list(value) if isinstance(value, list) else []


def strings_of(records: Sequence[Any], key: str) -> set[str]:
    """The non-empty string values of ``key`` over a list of records."""
    out: set[str] = set()
    for record in records:
        value = record.get(key) if isinstance(record, Mapping) else None
        if isinstance(value, str) and value:
            out.add(value)
    return out
