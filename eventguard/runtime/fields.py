"""Field extraction: the attacker-controlled strings of an event, with their paths.

Walks a source's path patterns over the event (and its ``values`` hook, for what patterns cannot
say), applies the declared decoders and those a value's shape suggests (JSON in a string, base64,
gzip after base64, percent-encoding, ...), and yields every string with its JSON path and
decoding chain, e.g. ``Records[0].kinesis.data<base64><json>.comment``. The raw string is always
yielded too, so nothing hides behind a decoder. A decoded JSON object that is itself an AWS event
envelope (S3 notification in SNS in SQS, DynamoDB change record in Kinesis, ...) gets that
envelope's declared decoders (``sources._envelope``). Bounded by ``limits.py``: a value past a
limit raises ``LimitExceeded``.
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, NamedTuple

from . import decoders
from .errors import DecodeError, LimitExceeded
from .limits import (
    FIELD_OVERLAP_CHARS,
    MAX_DECODE_DEPTH,
    MAX_EVENT_BYTES,
    MAX_FIELD_CHARS,
    MAX_FIELDS,
    MAX_NESTING_DEPTH,
    MAX_PATH_CHARS,
    MAX_PATH_KEY_CHARS,
)
from .sources import _envelope

Chain = tuple[str, ...]
ChainSpec = Chain | Callable[[Any], Chain]


class Field(NamedTuple):
    """One untrusted string: where it is, what it says, and which batch record it belongs to.

    A NamedTuple rather than a frozen dataclass: one is built for every string of every event,
    and a frozen dataclass's ``__init__`` (three ``object.__setattr__`` calls) cost about a third
    of extraction; a NamedTuple is as immutable and several times cheaper to build.
    """

    path: str
    text: str
    record: int | None = None


@dataclass(slots=True)
class Budget:
    """Counts fields and watches the clock for one inspect() call."""

    deadline: float
    fields: int = 0
    chars: int = 0  # characters of the event's own strings (before decoding)

    def spend(self) -> None:
        self.fields += 1
        if self.fields > MAX_FIELDS:
            raise LimitExceeded("MAX_FIELDS", f"more than {MAX_FIELDS} fields")
        if self.fields % 256 == 0 and time.perf_counter() > self.deadline:
            raise LimitExceeded("MAX_INSPECTION_SECONDS")

    def measure(self, text: str) -> None:
        """Count an event string toward MAX_EVENT_BYTES (Lambda's own payload limit, checked
        again here since inspect() is also called on events that never passed Lambda)."""
        self.chars += len(text)
        if self.chars > MAX_EVENT_BYTES:
            raise LimitExceeded("MAX_EVENT_BYTES", f"more than {MAX_EVENT_BYTES} characters")

    def charge(self, count: int) -> None:
        """Count items that are walked but yield no string (numbers, null, containers)."""
        before = self.fields
        self.fields += count
        if self.fields > MAX_FIELDS:
            raise LimitExceeded("MAX_FIELDS", f"more than {MAX_FIELDS} fields")
        if self.fields // 256 != before // 256 and time.perf_counter() > self.deadline:
            raise LimitExceeded("MAX_INSPECTION_SECONDS")


def path_key(name: str) -> str:
    """A key as it appears in a finding's path: whole when short, else its head and a checksum,
    so an attacker's 5,000-character key cannot bloat paths, logs or memory."""
    if len(name) <= MAX_PATH_KEY_CHARS:
        return name
    return f"{name[: MAX_PATH_KEY_CHARS - 12]}...{zlib.crc32(name.encode('utf-8', 'replace')):08x}"


_SPLIT_CACHE: dict[str, tuple[str, ...]] = {}


def _steps(pattern: str) -> tuple[str, ...]:
    """``_split`` computed once per pattern (patterns are the modules' constants)."""
    steps = _SPLIT_CACHE.get(pattern)
    if steps is None:
        steps = _SPLIT_CACHE[pattern] = tuple(_split(pattern))
    return steps


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


_CONTAINERS = (dict, list)


def _clip(path: str) -> str:
    half = MAX_PATH_CHARS // 2 - 2
    return f"{path[:half]}...{path[-half:]}"


def _fits(node: Any, budget: Budget, at: str) -> None:
    """Each key or item of a container is at least one field: refuse a container that cannot
    fit before walking it (a million keys are never copied into the walk's stack)."""
    if len(node) + budget.fields > MAX_FIELDS:
        raise LimitExceeded("MAX_FIELDS", f"{len(node)} items in one container at {at[:80]!r}")


def strings(value: Any, path: str, budget: Budget, depth: int = 0) -> Iterator[tuple[str, str]]:
    """Every string below ``value``, keys included (their paths end in ``<key>``), in document
    order. Iterative: a leaf costs the same at any depth (no chain of nested generators); exact
    type checks first, since ``isinstance`` against ``Mapping`` is slow on the hot path."""
    if type(value) is str:
        yield path, value
        return
    charge = budget.charge
    stack: list[tuple[str, Any, int]] = [(path, value, depth)]
    pop, push = stack.pop, stack.extend
    while stack:
        at, node, level = pop()
        kind = type(node)
        if kind is str:
            yield at, node
            continue
        if level > MAX_NESTING_DEPTH:
            raise LimitExceeded("MAX_NESTING_DEPTH", at)
        if kind is dict or (kind is not list and isinstance(node, Mapping)):
            _fits(node, budget, at)
            pending: list[tuple[str, Any, int]] = []
            below = level + 1
            silent = 0  # values that yield no string here; keys are counted as leaves
            for key, item in node.items():
                name = key if type(key) is str else str(key)
                shown = name if len(name) <= MAX_PATH_KEY_CHARS else path_key(name)
                child = f"{at}.{shown}" if at else shown
                if len(child) > MAX_PATH_CHARS:  # deep nesting: the root and the leaf end
                    child = (
                        f"{child[: MAX_PATH_CHARS // 2 - 2]}...{child[-MAX_PATH_CHARS // 2 + 2 :]}"
                    )
                pending.append((f"{child}<key>", name, level))
                kind = type(item)
                if kind is str:
                    pending.append((child, item, below))
                else:
                    silent += 1
                    if kind in _CONTAINERS or isinstance(item, Mapping):
                        pending.append((child, item, below))
            charge(silent)
            pending.reverse()
            push(pending)
        elif kind is list:
            _fits(node, budget, at)
            below = level + 1
            kept = [
                (f"{at}[{i}]", item, below)
                for i, item in enumerate(node)
                if type(item) is str or type(item) in _CONTAINERS or isinstance(item, Mapping)
            ]
            charge(len(node) - sum(1 for item in kept if type(item[1]) is str))
            kept.reverse()
            push(kept)


def _windows(path: str, text: str) -> Iterator[tuple[str, str]]:
    """The string itself, or overlapping windows of it when it is past MAX_FIELD_CHARS."""
    if len(text) <= MAX_FIELD_CHARS:
        yield path, text
        return
    step = MAX_FIELD_CHARS - FIELD_OVERLAP_CHARS
    for start in range(0, len(text), step):
        yield f"{path}<chars:{start}>", text[start : start + MAX_FIELD_CHARS]
        if start + MAX_FIELD_CHARS >= len(text):
            break


def _large_json(text: str, chain: Chain) -> Any:
    """A string past MAX_FIELD_CHARS parsed as JSON when it is declared or looks JSON, or None."""
    names = chain or decoders.sniff(text)
    if not names or names[0] != "json":
        return None
    try:
        return decoders.DECODERS["json"](text)
    except DecodeError:
        return None


def _decode(
    path: str, value: Any, names: Chain, declared: bool, budget: Budget, depth: int
) -> Iterator[tuple[str, str]]:
    """Apply the first decoder of a declared chain (the rest follow), or each sniffed one. A
    declared string is sniffed too when its shape suggests another decoder (a body sent as JSON
    under a form Content-Type), so a wrong declaration never hides a payload."""
    for name in names[:1] if declared else names:
        try:
            decoded = decoders.DECODERS[name](value)
        except (DecodeError, TypeError):
            continue
        check = None if declared else decoders.SNIFF_CHECKS.get(name)
        if check is not None and not check(decoded):
            continue
        if type(decoded) is dict and len(decoded) == 1 and value in decoded.values():
            continue  # decoded to itself, e.g. a lone XML declaration: nothing new to see
        later = names[1:] if declared else ()
        seen = value if isinstance(value, str) else None
        yield from expand(f"{path}<{name}>", decoded, budget, later, depth + 1, seen)
    if declared and isinstance(value, str):
        others = tuple(n for n in decoders.sniff(value) if n != names[0])
        if others:
            yield from _decode(path, value, others, False, budget, depth)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
_PRINTABLE_RUN = re.compile(r"[\x20-\x7e\t\n\r]{4,}")


def as_text(data: bytes) -> str:
    """Decoded bytes as the text an application would see. Binary data (an image, a protobuf:
    more than one character in ten is a control character or invalid UTF-8) is only its
    printable runs of four or more, as ``strings`` shows them: a NUL between two pixels is no
    null-byte injection, while text hidden in a blob is still inspected."""
    text = data.decode("utf-8", "replace")
    if len(_CONTROL.findall(text[:4096])) * 10 > min(len(text), 4096):
        return " ".join(_PRINTABLE_RUN.findall(text))
    return text


def expand(
    path: str,
    value: Any,
    budget: Budget,
    chain: Chain = (),
    depth: int = 0,
    seen: str | None = None,
) -> Iterator[tuple[str, str]]:
    """The strings of a selected value after decoding: the declared ``chain`` first (applied to
    every string below ``value``, keys excepted), then what each string's shape suggests.
    ``seen`` is the text ``value`` was decoded from: a string equal to it is not decoded again
    (an XML declaration decodes to itself)."""
    if depth > MAX_DECODE_DEPTH:
        raise LimitExceeded("MAX_DECODE_DEPTH", path)
    if isinstance(value, bytes | bytearray):
        data = bytes(value)
        names = chain or decoders.sniff_bytes(data)
        if names:
            decoded = False
            for item in _decode(path, data, names, True, budget, depth):
                decoded = True
                yield item
            if decoded:
                return
        # Not the declared encoding after all: the bytes as the text an application would see.
        value, chain = as_text(data), ()
    elif (chain and not isinstance(value, str | Mapping | list)) or (
        chain and isinstance(value, list) and value and isinstance(value[0], int)
    ):
        yield from _decode(path, value, chain, True, budget, depth)
        return
    inner: Mapping[str, Chain] = {}
    if depth and isinstance(value, Mapping):
        inner = _envelope.chains(value, path)
    spend, limit = budget.spend, MAX_FIELD_CHARS
    measure = budget.measure if not depth else None
    for leaf, text in strings(value, path, budget):
        spend()
        if measure is not None:
            measure(text)
        if len(text) > limit:
            own = () if leaf.endswith("<key>") else inner.get(leaf, chain)
            parsed = _large_json(text, own)
            if parsed is not None:
                # A large JSON document is inspected as what the application will parse: its
                # keys and values, not its raw text a second time.
                yield from expand(f"{leaf}<json>", parsed, budget, own[1:], depth + 1, text)
                continue
        names, declared = ((), False) if text == seen else _names(leaf, text, inner, chain)
        if names and names[0] in decoders.STRUCTURED:
            # A JSON document, a multipart body or an email is what the application parses
            # from it: its own syntax is not injected text (quotes and colons in JSON,
            # ``\r\nContent-Type:`` on a line of every email), so once it parses to a
            # container, the container's keys and values replace the raw text.
            try:
                parts = decoders.DECODERS[names[0]](text)
            except DecodeError:
                parts = None
            if isinstance(parts, Mapping | list):
                later = names[1:] if declared else ()
                yield from expand(f"{leaf}<{names[0]}>", parts, budget, later, depth + 1, text)
                continue
        if len(text) <= limit:
            yield leaf, text
        else:
            yield from _windows(leaf, text)
        if names:
            yield from _decode(leaf, text, names, declared, budget, depth)


def _names(leaf: str, text: str, inner: Mapping[str, Chain], chain: Chain) -> tuple[Chain, bool]:
    """The decoders to apply to one string and whether they were declared (else sniffed)."""
    if inner and leaf in inner:
        return inner[leaf], True
    if chain and not leaf.endswith("<key>"):
        return chain, True
    return decoders.sniff(text), False


def _chain(spec: ChainSpec | None, context: Any) -> Chain:
    if spec is None:
        return ()
    if callable(spec):
        return spec(context)
    return spec


def _select(
    obj: Any, source: ModuleType, patterns: Sequence[str], prefix: str, hook: bool = True
) -> Iterator[tuple[str, Any, Chain]]:
    """(path, value, declared chain) for the source's patterns and its ``values`` hook; a path
    selected by two patterns (a key under ``*``) is selected once."""
    encoded: Mapping[str, ChainSpec] = getattr(source, "ENCODED", {})
    selected: set[str] = set()
    for pattern in patterns:
        spec = encoded.get(pattern)
        for path, value in walk(obj, _steps(pattern), prefix):
            if path in selected:
                continue
            selected.add(path)
            yield path, value, () if path.endswith("<key>") else _chain(spec, obj)
    values = getattr(source, "values", None) if hook else None
    if values is not None:
        for path, value, chain in values(obj, prefix):
            if path not in selected:
                selected.add(path)
                yield path, value, chain


def _fields(
    selections: Iterator[tuple[str, Any, Chain]], budget: Budget, record: int | None
) -> Iterator[Field]:
    """The Fields of selected values. A plain string with no declared chain, by far the most
    common case, takes a short path without the nested generators of ``expand``."""
    for path, value, chain in selections:
        if type(value) is str and not chain and len(value) <= MAX_FIELD_CHARS:
            names = decoders.sniff(value)
            if names and names[0] in decoders.STRUCTURED:
                for leaf, text in expand(path, value, budget):
                    yield Field(leaf, text, record)
                continue
            budget.spend()
            yield Field(path, value, record)
            if names:
                for leaf, text in _decode(path, value, names, False, budget, 0):
                    yield Field(leaf, text, record)
            continue
        for leaf, text in expand(path, value, budget, chain):
            yield Field(leaf, text, record)


def extract(event: Any, source: ModuleType, budget: Budget) -> Iterator[Field]:
    """Every untrusted string of the event, as the source module describes it."""
    batch = getattr(source, "KIND", "") == "batch"
    # A batch source's ``values`` hook runs once per record, not on the event.
    yield from _fields(_select(event, source, source.UNTRUSTED, "", hook=not batch), budget, None)
    if not batch or not isinstance(event, Mapping):
        return
    for index, record in enumerate(source.records(event)):
        prefix = source.record_path(index, event)
        selections = _select(record, source, source.RECORD_UNTRUSTED, prefix)
        yield from _fields(selections, budget, index)
