"""DynamoDB typed attribute values (``S N B SS NS BS L M NULL BOOL``): the free-text leaves of an
image, with ``B``/``BS`` declared base64. Numbers, booleans and nulls are typed by DynamoDB and
are not attacker text; attribute names are."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import LimitExceeded
from ..limits import MAX_NESTING_DEPTH
from ._hooks import Chain, Triple, listed

_B64: Chain = ("base64",)


def image(item: Any, path: str, depth: int = 0) -> Iterable[Triple]:
    """(path, value, chain) of every name and free-text value of a DynamoDB item/map."""
    return listed(_image, item, path, depth)


def _image(out: list[Triple], item: Any, path: str, depth: int) -> None:
    if not isinstance(item, Mapping):
        return
    if depth > MAX_NESTING_DEPTH:
        raise LimitExceeded("MAX_NESTING_DEPTH", path)
    for name, typed in item.items():
        key = f"{path}.{name}"
        out.append((f"{key}<key>", str(name), ()))
        _value(out, typed, key, depth + 1)


def value(typed: Any, path: str, depth: int) -> Iterable[Triple]:
    """The free-text leaves of one typed attribute value."""
    return listed(_value, typed, path, depth)


def _value(out: list[Triple], typed: Any, path: str, depth: int) -> None:
    if not isinstance(typed, Mapping):
        return
    if depth > MAX_NESTING_DEPTH:
        raise LimitExceeded("MAX_NESTING_DEPTH", path)
    for tag, item in typed.items():
        at = f"{path}.{tag}"
        if tag == "S" and isinstance(item, str):
            out.append((at, item, ()))
        elif tag == "B" and isinstance(item, str):
            out.append((at, item, _B64))
        elif tag in ("SS", "BS") and isinstance(item, list):
            chain = _B64 if tag == "BS" else ()
            for i, entry in enumerate(item):
                if isinstance(entry, str):
                    out.append((f"{at}[{i}]", entry, chain))
        elif tag == "M":
            _image(out, item, at, depth + 1)
        elif tag == "L" and isinstance(item, list):
            for i, entry in enumerate(item):
                _value(out, entry, f"{at}[{i}]", depth + 1)


IMAGES = ("NewImage", "OldImage", "Keys")


def change_record(record: Any, prefix: str) -> Iterable[Triple]:
    """The images of one DynamoDB stream change record (``dynamodb.NewImage`` ...), as one
    list (no generator per level of the images)."""
    return listed(_change_record, record, prefix)


def _change_record(out: list[Triple], record: Any, prefix: str) -> None:
    data = record.get("dynamodb") if isinstance(record, Mapping) else None
    if not isinstance(data, Mapping):
        return
    for name in IMAGES:
        _image(
            out, data.get(name), f"{prefix}.dynamodb.{name}" if prefix else f"dynamodb.{name}", 0
        )
