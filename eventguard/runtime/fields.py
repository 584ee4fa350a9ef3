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
from functools import cache, partial
from itertools import chain as concat
from itertools import repeat
from operator import itemgetter
from types import MappingProxyType, ModuleType
from typing import Any, NamedTuple

from . import decoders
from ._value import Value
from .decoders import DOCUMENTS, STRUCTURED
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
    MIN_SNIFF_BASE64_CHARS,
)
from .sources import _envelope, attribute

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


class Budget(Value):
    """Counts fields and watches the clock for one inspect() call."""

    __slots__ = __match_args__ = ("deadline", "fields", "chars")

    def __init__(self, deadline: float, fields: int = 0, chars: int = 0) -> None:
        self.deadline = deadline
        self.fields = fields
        self.chars = chars  # characters of the event's own strings (before decoding)

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


# A pattern compiled for the walk: its wildcard steps (``*``, ``[*]``, ``**``) as they are, and
# each run of plain keys as one op, (keys, the path they add, e.g. ``.a.b``, and that path alone).
KeysOp = tuple[tuple[str, ...], str, str]
Op = KeysOp | str
_WILD = frozenset(("*", "[*]", "**"))


def _ops(steps: Sequence[str]) -> tuple[Op, ...]:
    """``steps`` with each run of plain keys folded into one op: the walk follows a run without
    building the path of every key on the way (most of which lead nowhere)."""
    ops: list[Op] = []
    keys: list[str] = []
    for step in (*steps, "**"):  # a wildcard (the last one added) ends a run
        if step not in _WILD:
            keys.append(step)
            continue
        if keys:
            ops.append((tuple(keys), "." + ".".join(keys), ".".join(keys)))
            keys = []
        ops.append(step)
    return tuple(ops[:-1])


def walk(value: Any, steps: Sequence[str], path: str) -> Iterator[tuple[str, Any]]:
    """Every (path, value) the pattern steps select, keys under ``*`` and ``**`` included."""
    found: list[Selection] = []
    _walk(value, _ops(steps), 0, path, found)
    for at, item, _ in found:
        yield at, item


_MISSING = object()


def _follow(value: Any, keys: Sequence[str]) -> Any:
    """The value at ``keys`` below ``value``, or ``_MISSING`` when one is missing or a value on
    the way is no mapping."""
    for key in keys:
        if type(value) is not dict and (
            type(value) in _NOT_MAPPINGS or not isinstance(value, Mapping)
        ):
            return _MISSING
        if key not in value:
            return _MISSING
        value = value[key]
    return value


def _walk(value: Any, ops: tuple[Op, ...], at: int, path: str, out: list[Selection]) -> None:
    """``walk`` into a list, as selections with no chain: a plain call per level below a
    wildcard, no generator per level."""
    while at < len(ops):
        op = ops[at]
        at += 1
        if type(op) is tuple:  # a run of keys: one path built for the run, once it is found
            keys, suffix, bare = op
            value = _follow(value, keys)
            if value is _MISSING:
                return
            path = path + suffix if path else bare
            continue
        if op == "**":
            break
        # A wildcard that ends the pattern (``headers.*``, ``Records[*]``), or items that end in
        # a key path (``Records[*].s3.object.key``), select here, without a call per item.
        if op == "[*]":
            if isinstance(value, list):
                rest = ops[at] if at + 1 == len(ops) else None
                if at == len(ops):
                    for i, item in enumerate(value):
                        out.append((f"{path}[{i}]", item, ()))
                elif isinstance(rest, tuple):
                    keys, suffix, _ = rest
                    for i, item in enumerate(value):
                        item = _follow(item, keys)
                        if item is not _MISSING:
                            out.append((f"{path}[{i}]{suffix}", item, ()))
                else:
                    for i, item in enumerate(value):
                        _walk(item, ops, at, f"{path}[{i}]", out)
            return
        if type(value) is not dict and (
            type(value) in _NOT_MAPPINGS or not isinstance(value, Mapping)
        ):
            return
        last = at == len(ops)
        for key, item in value.items():
            name = str(key)
            child = f"{path}.{name}" if path else name
            out.append((f"{child}<key>", name, ()))
            if last:
                out.append((child, item, ()))
            else:
                _walk(item, ops, at, child, out)
        return
    out.append((path, value, ()))


_CONTAINERS = (dict, list)
# JSON's other types: no Mapping check (an ABC isinstance) needed to tell them from one.
_NOT_MAPPINGS = frozenset((str, list, int, float, bool, type(None)))
_JSON_TYPES = _NOT_MAPPINGS | {dict}


def _clip(path: str) -> str:
    half = MAX_PATH_CHARS // 2 - 2
    return f"{path[:half]}...{path[-half:]}"


def _fits(node: Any, budget: Budget, at: str) -> None:
    """Each key or item of a container is at least one field: refuse a container that cannot
    fit before walking it (a million keys are never copied into the walk's stack)."""
    if len(node) + budget.fields > MAX_FIELDS:
        raise LimitExceeded("MAX_FIELDS", f"{len(node)} items in one container at {at[:80]!r}")


def _spent(budget: Budget) -> None:
    """The checks of ``Budget.spend`` once its count was raised inline (every 256th field, or
    past MAX_FIELDS)."""
    if budget.fields > MAX_FIELDS:
        raise LimitExceeded("MAX_FIELDS", f"more than {MAX_FIELDS} fields")
    if time.perf_counter() > budget.deadline:
        raise LimitExceeded("MAX_INSPECTION_SECONDS")


def strings(value: Any, path: str, budget: Budget, depth: int = 0) -> Iterator[tuple[str, str]]:
    """Every string below ``value``, keys included (their paths end in ``<key>``), in document
    order; containers are charged to the budget, strings are not (their reader spends)."""
    found: list[tuple[str, str]] = []
    if type(value) is str:
        found.append((path, value))
    else:
        _strings(value, path, budget, depth, (found.append, found, 0, False, False, ""))
    yield from found


Out = list[tuple[str, str]]
Leaf = Callable[[tuple[str, str]], Any]
# How ``_strings`` reads a string: (leaf, out, depth, measure, plain, seen). A plain walk (no
# declared chain, no envelope) reads a string of at most MAX_FIELD_CHARS inline as ``leaf``
# would: spent, measured at depth 0, appended to ``out``, then sniffed unless it is ``seen``.
Walk = tuple[Leaf, Out, int, bool, bool, str]
# decoders.sniff() names nothing for a letters-and-digits string this short: only base64 and
# JWT need no mark, and they are tried from MIN_SNIFF_BASE64_CHARS up; every other decoder
# needs one of { [ < % & \\ (so the walk skips the call for names like ``id`` or ``false``).
# For other strings decoders.QUIET tells, in one C-level match, most of those it names nothing
# for (``gzip, deflate``, header names, host names, UUIDs): sniff() is called for the rest.
# The walk asks QUIET's half for the string's length (QUIET_SHORT, QUIET_LONG): one pass fewer.
_SHORT = MIN_SNIFF_BASE64_CHARS
_QUIET = decoders.QUIET_MAX_CHARS


def _strings(node: Any, at: str, budget: Budget, level: int, walk: Walk) -> None:
    """The walk of ``strings``, reading each (path, string) as it is reached: a plain
    recursive call per container (depth is bounded by MAX_NESTING_DEPTH), so a leaf costs the
    same at any depth and nothing is buffered."""
    leaf, out, depth, measure, plain, seen = walk
    kind = type(node)
    if kind is str:
        leaf((at, node))
        return
    if kind is not dict and kind is not list and not isinstance(node, Mapping):
        return
    if level > MAX_NESTING_DEPTH:
        raise LimitExceeded("MAX_NESTING_DEPTH", at)
    if len(node) + budget.fields > MAX_FIELDS:
        _fits(node, budget, at)
    below = level + 1
    append, sniff, limit = out.append, decoders.sniff, MAX_FIELD_CHARS
    short, quiet = decoders.QUIET_SHORT, decoders.QUIET_LONG
    if kind is list:
        strs = 0
        for item in node:
            if type(item) is str:
                strs += 1
        if strs != len(node):
            budget.charge(len(node) - strs)
        i = -1
        for item in node:
            i += 1
            kind = type(item)
            if kind is str:
                size = len(item)
                if not plain or size > limit:  # not a plain walk, or a long string: leaf()
                    leaf((f"{at}[{i}]", item))
                    continue
                names: Chain = (
                    ()
                    if item == seen
                    or (
                        (item.isalnum() or short(item))
                        if size < _SHORT
                        else size <= _QUIET and quiet(item)
                    )
                    else sniff(item)
                )
                if names and names[0] in STRUCTURED:  # a container document: leaf() reads it
                    leaf((f"{at}[{i}]", item))
                    continue
                count = budget.fields + 1
                budget.fields = count
                if count > MAX_FIELDS or not count & 255:
                    _spent(budget)
                if measure:
                    budget.chars += size
                    if budget.chars > MAX_EVENT_BYTES:
                        budget.measure("")
                path = f"{at}[{i}]"
                append((path, item))
                if names:
                    _decode(path, item, names, False, budget, depth, out)
            elif (
                kind is dict
                or kind is list
                or (kind not in _JSON_TYPES and isinstance(item, Mapping))
            ):
                _strings(item, f"{at}[{i}]", budget, below, walk)
        return
    silent = 0  # values that yield no string here; keys are counted as leaves
    for item in node.values():
        if type(item) is not str:
            silent += 1
    if silent:  # charged before the first key is read, as one walk step
        budget.charge(silent)
    head = f"{at}." if at else ""
    # No key (at most MAX_PATH_KEY_CHARS as shown) can take a path under ``at`` past the limit.
    roomy = len(head) + MAX_PATH_KEY_CHARS <= MAX_PATH_CHARS
    for key, item in node.items():
        name = key if type(key) is str else str(key)
        size = len(name)
        child = head + (name if size <= MAX_PATH_KEY_CHARS else path_key(name))
        if not roomy and len(child) > MAX_PATH_CHARS:  # deep nesting: the root and the leaf end
            child = f"{child[: MAX_PATH_CHARS // 2 - 2]}...{child[-MAX_PATH_CHARS // 2 + 2 :]}"
        if plain and size <= limit:
            count = budget.fields + 1
            budget.fields = count
            if count > MAX_FIELDS or not count & 255:
                _spent(budget)
            if measure:
                budget.chars += size
                if budget.chars > MAX_EVENT_BYTES:
                    budget.measure("")
            path = child + "<key>"
            append((path, name))
            if name != seen and not (
                (name.isalnum() or short(name)) if size < _SHORT else size <= _QUIET and quiet(name)
            ):
                names = sniff(name)
                if names:
                    _decode(path, name, names, False, budget, depth, out)
        else:
            leaf((child + "<key>", name))
        kind = type(item)
        if kind is str:
            size = len(item)
            if not plain or size > limit:  # not a plain walk, or a long string: leaf()
                leaf((child, item))
                continue
            names = (
                ()
                if item == seen
                or (
                    (item.isalnum() or short(item))
                    if size < _SHORT
                    else size <= _QUIET and quiet(item)
                )
                else sniff(item)
            )
            if names and names[0] in STRUCTURED:  # a container document: leaf() reads it
                leaf((child, item))
                continue
            count = budget.fields + 1
            budget.fields = count
            if count > MAX_FIELDS or not count & 255:
                _spent(budget)
            if measure:
                budget.chars += size
                if budget.chars > MAX_EVENT_BYTES:
                    budget.measure("")
            append((child, item))
            if names:
                _decode(child, item, names, False, budget, depth, out)
        elif (
            kind is dict or kind is list or (kind not in _JSON_TYPES and isinstance(item, Mapping))
        ):
            _strings(item, child, budget, below, walk)


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
    path: str, value: Any, names: Chain, declared: bool, budget: Budget, depth: int, out: Out
) -> None:
    """Apply the first decoder of a declared chain (the rest follow), or each sniffed one. A
    declared string is sniffed too when its shape suggests another decoder (a body sent as JSON
    under a form Content-Type), so a wrong declaration never hides a payload."""
    for name in names[:1] if declared else names:
        fused = None if declared else decoders.SNIFFED.get(name)
        if fused is not None:
            decoded = fused(value)
            if decoded is None:
                continue
        else:
            futile = decoders.FUTILE.get(name)
            if futile is not None and depth < MAX_DECODE_DEPTH and futile(value):
                continue  # as the checks below would: no text, nothing inside
            try:
                decoded = decoders.DECODERS[name](value)
            except (DecodeError, TypeError):
                continue
            check = None if declared else decoders.SNIFF_CHECKS.get(name)
            if check is not None and not check(decoded):
                continue
        if type(decoded) is dict and len(decoded) == 1 and value in decoded.values():
            continue  # decoded to itself, e.g. a lone XML declaration: nothing new to see
        if not decoded and type(decoded) in _CONTAINERS and depth < MAX_DECODE_DEPTH:
            continue  # nothing inside (``<placeholder>`` as XML): no string, no envelope
        later = names[1:] if declared else ()
        seen = value if isinstance(value, str) else None
        _expand(f"{path}<{name}>", decoded, budget, later, depth + 1, seen, out)
    if declared and isinstance(value, str):
        found = decoders.sniff(value)
        if found and (len(found) > 1 or found[0] != names[0]):  # not merely the declared one
            others = tuple(n for n in found if n != names[0])
            if others:
                _decode(path, value, others, False, budget, depth, out)


@cache
def _binary() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A control character (or a byte that was not UTF-8) and a run of printable characters,
    compiled with the first decoded bytes (an import, a cold start, compiles neither)."""
    return re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]"), re.compile(r"[\x20-\x7e\t\n\r]{4,}")


def as_text(data: bytes) -> str:
    """Decoded bytes as the text an application would see. Binary data (an image, a protobuf:
    more than one character in ten is a control character or invalid UTF-8) is only its
    printable runs of four or more, as ``strings`` shows them: a NUL between two pixels is no
    null-byte injection, while text hidden in a blob is still inspected."""
    text = data.decode("utf-8", "replace")
    control, printable_run = _binary()
    if control.search(text, 0, 4096) is None:  # the common case: no control character
        return text
    if len(control.findall(text[:4096])) * 10 > min(len(text), 4096):
        return " ".join(printable_run.findall(text))
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
    out: Out = []
    try:
        _expand(path, value, budget, chain, depth, seen, out)
    except BaseException:
        yield from out  # what was found before the limit, as a lazy walk would have yielded it
        raise
    yield from out


def _expand(
    path: str,
    value: Any,
    budget: Budget,
    chain: Chain,
    depth: int,
    seen: str | None,
    out: Out,
) -> None:
    """``expand`` appending (path, text) to ``out``: plain calls, no generator layers."""
    if depth > MAX_DECODE_DEPTH:
        raise LimitExceeded("MAX_DECODE_DEPTH", path)
    kind = type(value)
    if kind is str:  # the commonest value: a selected field, or what a decoder gave
        _text(path, value, budget, chain, _NO_ENVELOPE, depth, seen, out)
        return
    if kind is bytes or (kind not in _JSON_TYPES and isinstance(value, bytes | bytearray)):
        data = bytes(value)
        names = chain or decoders.sniff_bytes(data)
        if names and names[0] in DOCUMENTS:
            # Markup is text: read as a declared string is (whole when well-formed, else its
            # text and the parts found in it), not only as the parts of a lenient decoding.
            _text(path, as_text(data), budget, names, _NO_ENVELOPE, depth, seen, out)
            return
        if names:
            before = len(out)
            _decode(path, data, names, True, budget, depth, out)
            if len(out) > before:
                return
        # Not the declared encoding after all: the bytes as the text an application would see.
        _text(path, as_text(data), budget, (), _NO_ENVELOPE, depth, seen, out)
        return
    if chain and (
        not isinstance(value, str | Mapping | list)
        or (isinstance(value, list) and value and isinstance(value[0], int))
    ):
        _decode(path, value, chain, True, budget, depth, out)
        return
    inner: Mapping[str, Chain] = _NO_ENVELOPE
    if depth and (kind is dict or isinstance(value, Mapping)):
        inner = _envelope.chains(value, path)

    leaf = partial(_leaf, (budget, chain, inner, depth, seen, out))
    plain = not chain and not inner
    _strings(value, path, budget, 0, (leaf, out, depth, not depth, plain, seen or ""))


# The arguments of ``_text`` after the path and the string: what ``_expand`` reads them with.
Reading = tuple[Budget, Chain, Mapping[str, Chain], int, str | None, Out]


def _leaf(reading: Reading, item: tuple[str, str]) -> None:
    """``_text`` on a (path, string) of a container that ``_expand`` walks, as a partial: a
    closure would make ``_expand`` keep its arguments in cells, paid on every call."""
    _text(item[0], item[1], *reading)


_NO_ENVELOPE: Mapping[str, Chain] = MappingProxyType({})


def _text(
    at: str,
    text: str,
    budget: Budget,
    chain: Chain,
    inner: Mapping[str, Chain],
    depth: int,
    seen: str | None,
    out: Out,
) -> None:
    """One string as ``_expand`` reads it: spent, and measured when it is the event's own (depth
    0); then the declared chain (the envelope's ``inner`` one for its path, else ``chain``,
    never for a key) or, undeclared, what its shape suggests, unless it is ``seen``."""
    count = budget.fields + 1
    budget.fields = count
    if count > MAX_FIELDS or not count & 255:
        _spent(budget)
    if not depth:
        budget.measure(text)
    if len(text) > MAX_FIELD_CHARS:
        own = () if at.endswith("<key>") else inner.get(at, chain)
        parsed = _large_json(text, own)
        if parsed is not None:
            # A large JSON document is inspected as what the application will parse: its
            # keys and values, not its raw text a second time.
            _expand(f"{at}<json>", parsed, budget, own[1:], depth + 1, text, out)
            return
    names: Chain = ()
    declared = False
    if text == seen:
        pass
    elif inner and at in inner:
        names, declared = inner[at], True
    elif chain and not at.endswith("<key>"):
        names, declared = chain, True
    elif not (
        (text.isalnum() or decoders.QUIET_SHORT(text))
        if len(text) < _SHORT
        else len(text) <= _QUIET and decoders.QUIET_LONG(text)
    ):
        names = decoders.sniff(text)
    if names and names[0] in STRUCTURED:
        parts = _container(names[0], text)
        if parts is not None:
            later = names[1:] if declared else ()
            _expand(f"{at}<{names[0]}>", parts, budget, later, depth + 1, text, out)
            return
    elif declared and names[0] in DOCUMENTS:
        parts = _document(names[0], text)
        if parts is not None:
            _expand(f"{at}<{names[0]}>", parts, budget, names[1:], depth + 1, text, out)
            return
    if len(text) <= MAX_FIELD_CHARS:
        out.append((at, text))
    else:
        out.extend(_windows(at, text))
    if names:
        _decode(at, text, names, declared, budget, depth, out)


def _container(name: str, text: str) -> Any:
    """``text`` parsed by the container decoder ``name`` when it parses to a mapping or a list.

    A JSON document, a multipart body or an email is what the application parses from it: its
    own syntax is not injected text (quotes and colons in JSON, ``\r\nContent-Type:`` on a
    line of every email), so its keys and values replace the raw text."""
    try:
        parts = decoders.DECODERS[name](text)
    except DecodeError:
        return None
    return parts if type(parts) is dict or type(parts) is list else None


def _document(name: str, text: str) -> Any:
    """``text`` parsed strictly by the document reader ``name``, or None when it is not one
    well-formed document or reading it reaches a limit: then its raw text is inspected as
    before, so an attack hidden in broken markup is still found."""
    try:
        return DOCUMENTS[name](text)
    except (DecodeError, LimitExceeded):
        return None


def _chain(spec: ChainSpec | None, context: Any) -> Chain:
    if spec is None:
        return ()
    if callable(spec):
        return spec(context)
    return spec


Selection = tuple[str, Any, Chain]


# Per pattern: its ops, the pattern itself when it is a plain key path (``a.b.c``, no wildcard:
# its path is the pattern) and its declared chain.
Plan = tuple[tuple[tuple[Op, ...], str | None, ChainSpec | None], ...]
_PLANS: dict[tuple[ModuleType, Sequence[str]], tuple[Mapping[str, ChainSpec], Plan]] = {}
# The ENCODED of a source that has none: one object, so its cached plan is found as current.
_NO_CHAINS: Mapping[str, ChainSpec] = MappingProxyType({})


def _plan(source: ModuleType, patterns: Sequence[str]) -> Plan:
    """The source's patterns compiled for ``_select``, once per source (and ENCODED)."""
    encoded: Mapping[str, ChainSpec] = attribute(source, "ENCODED", _NO_CHAINS)
    try:
        cached = _PLANS.get((source, patterns))
    except TypeError:  # patterns given as a list
        cached, patterns = None, tuple(patterns)
    if cached is not None and cached[0] is encoded:
        return cached[1]
    plan = tuple(
        (ops, pattern if len(ops) == 1 and type(ops[0]) is tuple else None, encoded.get(pattern))
        for pattern in patterns
        for ops in (_ops(_split(pattern)),)
    )
    _PLANS[(source, patterns)] = (encoded, plan)
    return plan


def _select(
    obj: Any, plan: Plan, values: Callable[[Any, str], Any] | None, prefix: str
) -> tuple[list[Selection], BaseException | None]:
    """(path, value, declared chain) for the planned patterns and the ``values`` hook; a path
    selected by two patterns (a key under ``*``) is selected once. An error of the hook comes
    back with the selections made before it, to be raised once those are read."""
    out: list[Selection] = []
    try:
        for ops, plain, spec in plan:
            if plain is not None:  # a key path: followed without a walk
                value = _follow(obj, ops[0][0])
                if value is not _MISSING:
                    path = f"{prefix}.{plain}" if prefix else plain
                    out.append((path, value, () if spec is None else _chain(spec, obj)))
                continue
            if spec is None:
                _walk(obj, ops, 0, prefix, out)
                continue
            found: list[Selection] = []
            _walk(obj, ops, 0, prefix, found)
            for path, value, _ in found:
                chain = () if path.endswith("<key>") else _chain(spec, obj)
                out.append((path, value, chain))
        if values is not None:
            out.extend(values(obj, prefix))
    except Exception as exc:  # raised by collect() once the selections before it are read
        return _once(out), exc
    return _once(out), None


def _once(selections: list[Selection]) -> list[Selection]:
    """``selections`` without those whose path came before: a set of the paths, built in C,
    tells whether there is any (there seldom is) before they are looked for one by one."""
    if len(selections) < 2 or len(set(map(_PATH, selections))) == len(selections):
        return selections
    seen: set[str] = set()
    out: list[Selection] = []
    for selection in selections:
        if selection[0] not in seen:
            seen.add(selection[0])
            out.append(selection)
    return out


_PATH = itemgetter(0)


def _read(selections: list[Selection], budget: Budget, out: Out) -> None:
    """The strings of selected values. A plain string with no declared chain, by far the most
    common case, takes a short path; so does a list of such strings (multi-value headers and
    parameters), read as ``_expand`` would, without its closure and walk."""
    limit = MAX_FIELD_CHARS
    for path, value, chain in selections:
        if chain:
            _expand(path, value, budget, chain, 0, None, out)
        elif type(value) is str and len(value) <= limit:
            _read_text(path, value, budget, out)
        elif type(value) is list and all(type(t) is str and len(t) <= limit for t in value):
            if len(value) + budget.fields > MAX_FIELDS:
                _fits(value, budget, path)
            for i, text in enumerate(value):
                _read_text(f"{path}[{i}]", text, budget, out)
        else:
            _expand(path, value, budget, chain, 0, None, out)


def _read_text(at: str, text: str, budget: Budget, out: Out) -> None:
    """One selected string of at most MAX_FIELD_CHARS with no declared chain, read as
    ``_expand`` reads it (spent, measured, then decoded as its shape suggests) in fewer steps:
    most are names, ids and flags that ``QUIET`` tells have nothing to decode."""
    size = len(text)
    if (
        (text.isalnum() or decoders.QUIET_SHORT(text))
        if size < _SHORT
        else size <= _QUIET and decoders.QUIET_LONG(text)
    ):
        names: Chain = ()
    else:
        names = decoders.sniff(text)
        if names and names[0] in STRUCTURED:
            _expand(at, text, budget, (), 0, None, out)
            return
    count = budget.fields = budget.fields + 1
    chars = budget.chars = budget.chars + size  # an event string, counted as the walk counts them
    if count > MAX_FIELDS or not count & 255:
        _spent(budget)
    if chars > MAX_EVENT_BYTES:
        budget.measure("")
    out.append((at, text))
    if names:
        _decode(at, text, names, False, budget, 0, out)


Part = tuple[int | None, Out]


def collect(event: Any, source: ModuleType, budget: Budget, parts: list[Part]) -> None:
    """Every untrusted string of the event, as the source module describes it, appended to
    ``parts`` as (record index or None, [(path, text), ...]) as it is found: when a limit
    raises, ``parts`` holds what came before it."""
    batch = attribute(source, "KIND", "") == "batch"
    values = attribute(source, "values")
    # A batch source's ``values`` hook runs once per record, not on the event.
    plan = _plan(source, source.UNTRUSTED)
    selections, error = _select(event, plan, None if batch else values, "")
    out: Out = []
    parts.append((None, out))
    _read(selections, budget, out)
    if error is not None:
        raise error
    if not batch or not isinstance(event, Mapping):
        return
    plan = _plan(source, source.RECORD_UNTRUSTED)
    for index, record in enumerate(source.records(event)):
        prefix = source.record_path(index, event)
        selections, error = _select(record, plan, values, prefix)
        out = []
        parts.append((index, out))
        _read(selections, budget, out)
        if error is not None:
            raise error


def extract(event: Any, source: ModuleType, budget: Budget) -> Iterator[Field]:
    """Every untrusted string of the event, as the source module describes it. An error (a
    limit) is raised by the iterator after the fields found before it."""
    parts: list[Part] = []
    try:
        collect(event, source, budget, parts)
    except BaseException as exc:
        return _then_raise(_as_fields(parts), exc)
    return _as_fields(parts)


def _as_fields(parts: list[Part]) -> Iterator[Field]:
    """The Fields of ``parts``, built in C (``tuple.__new__``, not a NamedTuple's ``__new__``)."""
    return concat.from_iterable(
        map(tuple.__new__, repeat(Field), [(path, text, record) for path, text in found])
        for record, found in parts
    )


def _then_raise(fields: Iterator[Field], error: BaseException) -> Iterator[Field]:
    yield from fields
    raise error
