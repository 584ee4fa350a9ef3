"""DynamoDB typed attribute values (``S N B SS NS BS L M NULL BOOL``): the free-text leaves of an
image, with ``B``/``BS`` declared base64. Numbers, booleans and nulls are typed by DynamoDB and
are not attacker text; attribute names are."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import LimitExceeded
from ..limits import MAX_NESTING_DEPTH

Chain = tuple[str, ...]
_B64: Chain = ("base64",)


def image(item: Any, path: str, depth: int = 0) -> Iterator[tuple[str, Any, Chain]]:
    """(path, value, chain) of every name and free-text value of a DynamoDB item/map."""
    if not isinstance(item, Mapping):
        return
    if depth > MAX_NESTING_DEPTH:
        raise LimitExceeded("MAX_NESTING_DEPTH", path)
    for name, typed in item.items():
        key = f"{path}.{name}"
        yield f"{key}<key>", str(name), ()
        yield from value(typed, key, depth + 1)


def value(typed: Any, path: str, depth: int) -> Iterator[tuple[str, Any, Chain]]:
    """The free-text leaves of one typed attribute value."""
    if not isinstance(typed, Mapping):
        return
    if depth > MAX_NESTING_DEPTH:
        raise LimitExceeded("MAX_NESTING_DEPTH", path)
    for tag, item in typed.items():
        at = f"{path}.{tag}"
        if tag == "S" and isinstance(item, str):
            yield at, item, ()
        elif tag == "B" and isinstance(item, str):
            yield at, item, _B64
        elif tag in ("SS", "BS") and isinstance(item, list):
            chain = _B64 if tag == "BS" else ()
            for i, entry in enumerate(item):
                if isinstance(entry, str):
                    yield f"{at}[{i}]", entry, chain
        elif tag == "M":
            yield from image(item, at, depth + 1)
        elif tag == "L" and isinstance(item, list):
            for i, entry in enumerate(item):
                yield from value(entry, f"{at}[{i}]", depth + 1)


IMAGES = ("NewImage", "OldImage", "Keys")


def change_record(record: Any, prefix: str) -> Iterator[tuple[str, Any, Chain]]:
    """The images of one DynamoDB stream change record (``dynamodb.NewImage`` ...)."""
    data = record.get("dynamodb") if isinstance(record, Mapping) else None
    if not isinstance(data, Mapping):
        return
    for name in IMAGES:
        yield from image(
            data.get(name), f"{prefix}.dynamodb.{name}" if prefix else f"dynamodb.{name}"
        )
