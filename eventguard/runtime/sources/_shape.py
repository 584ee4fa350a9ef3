"""Small shape tests shared by the source modules' ``matches`` functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def first_record(event: Any, key: str = "Records") -> Mapping[str, Any] | None:
    """The first record of ``event[key]`` when it is a non-empty list of objects, else None."""
    if not isinstance(event, Mapping):
        return None
    records = event.get(key)
    if isinstance(records, Sequence) and records and isinstance(records[0], Mapping):
        return records[0]
    return None
