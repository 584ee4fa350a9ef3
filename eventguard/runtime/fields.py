"""Field extraction: the attacker-controlled strings of an event, with their paths.

Walks a source's path patterns over the event, applies the declared decoders and those a value's
shape suggests (JSON in a string, ...), and yields every string with its JSON path and decoding
chain, e.g. ``Records[0].kinesis.data<base64><json>.comment``. Bounded by ``limits.py``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from . import decoders
from .errors import DecodeError, LimitExceeded
from .limits import (
    MAX_DECODE_DEPTH,
    MAX_FIELD_CHARS,
    MAX_FIELDS,
    MAX_NESTING_DEPTH,
)


@dataclass(frozen=True, slots=True)
class Field:
    """One untrusted string: where it is, what it says, and which batch record it belongs to."""

    path: str
    text: str
    record: int | None = None


@dataclass(slots=True)
class Budget:
    """Counts fields and watches the clock for one inspect() call."""

    deadline: float
    fields: int = 0

    def spend(self) -> None:
        self.fields += 1
        if self.fields > MAX_FIELDS:
            raise LimitExceeded("MAX_FIELDS", f"more than {MAX_FIELDS} fields")
        if self.fields % 256 == 0 and time.perf_counter() > self.deadline:
            raise LimitExceeded("MAX_INSPECTION_SECONDS")


def _split(pattern: str) -> list[str]:
    """``a.b[*].c`` -> ``["a", "b", "[*]", "c"]``."""
    out: list[str] = []
    for part in pattern.split("."):
        while "[*]" in part and part != "[*]":
            head, _, part = part.partition("[*]")
            if head:
                out.append(head)
            out.append("[*]")
            if not part:
                break
        if part:
            out.append(part)
    return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def walk(value: Any, steps: Sequence[str], path: str) -> Iterator[tuple[str, Any]]:
    """Every (path, value) the pattern steps select, keys under ``*`` and ``**`` included."""
    if not steps:
        yield path, value
        return
    step, rest = steps[0], steps[1:]
    if step == "**":
        yield path, value
    elif step == "[*]":
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, rest, f"{path}[{i}]")
    elif step == "*":
        if isinstance(value, Mapping):
            for key, item in value.items():
                yield f"{_join(path, str(key))}<key>", str(key)
                yield from walk(item, rest, _join(path, str(key)))
    elif isinstance(value, Mapping) and step in value:
        yield from walk(value[step], rest, _join(path, step))


def strings(value: Any, path: str, budget: Budget, depth: int = 0) -> Iterator[tuple[str, str]]:
    """Every string below ``value``, keys included, with its path."""
    if depth > MAX_NESTING_DEPTH:
        raise LimitExceeded("MAX_NESTING_DEPTH", path)
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            budget.spend()
            yield f"{_join(path, str(key))}<key>", str(key)
            yield from strings(item, _join(path, str(key)), budget, depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, f"{path}[{i}]", budget, depth + 1)


def expand(
    path: str, value: Any, budget: Budget, chain: tuple[str, ...] = (), depth: int = 0
) -> Iterator[tuple[str, str]]:
    """The strings of a selected value after decoding: the declared ``chain`` first, then what
    each string's shape suggests. Yields the raw string too, so nothing hides behind a decoder."""
    if depth > MAX_DECODE_DEPTH:
        raise LimitExceeded("MAX_DECODE_DEPTH", path)
    for leaf_path, text in strings(value, path, budget):
        budget.spend()
        if len(text) > MAX_FIELD_CHARS:
            raise LimitExceeded("MAX_FIELD_CHARS", leaf_path)
        yield leaf_path, text
        names = chain if chain else decoders.sniff(text)
        for i, name in enumerate(names):
            try:
                decoded = decoders.DECODERS[name](text)
            except DecodeError:
                break
            if isinstance(decoded, bytes):
                decoded = decoded.decode("utf-8", "replace")
            later = names[i + 1 :] if chain else ()
            yield from expand(f"{leaf_path}<{name}>", decoded, budget, later, depth + 1)
            break


def extract(event: Any, source: ModuleType, budget: Budget) -> Iterator[Field]:
    """Every untrusted string of the event, as the source module describes it."""
    encoded: Mapping[str, tuple[str, ...]] = getattr(source, "ENCODED", {})
    for pattern in source.UNTRUSTED:
        for path, value in walk(event, _split(pattern), ""):
            for leaf, text in expand(path, value, budget, encoded.get(pattern, ())):
                yield Field(leaf, text)
    if getattr(source, "KIND", "") != "batch" or not isinstance(event, Mapping):
        return
    for index, record in enumerate(source.records(event)):
        prefix = source.record_path(index)
        for pattern in source.RECORD_UNTRUSTED:
            for path, value in walk(record, _split(pattern), prefix):
                for leaf, text in expand(path, value, budget, encoded.get(pattern, ())):
                    yield Field(leaf, text, index)
