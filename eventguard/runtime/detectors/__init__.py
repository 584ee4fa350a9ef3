"""Detectors: one module per attack class, registered in ``REGISTRY``.

A detector module defines ``ID`` (a rule id of DESIGN.md), ``CWE`` and ``detect(text) -> Match |
None``: pure, linear in the length of the text, no I/O. Its docstring is its documentation: what
it catches, why, examples and references.

``scan`` normalizes a text once (``_normalize.views``: URL, HTML and JS decoding, Unicode
compatibility forms, case), finds in one pass the marks every detection needs
(``_routes.MARKS``: which mark routes to which detector) and hands the shared views only to the
detectors whose marks are there: most text carries no mark at all, and a mark of one attack
class wakes one or two detectors, not fourteen.

A long text (over ``LONG`` characters) is not handed over whole: each routed detector reads only
windows around its marks (``BEFORE`` characters before a mark and ``AFTER`` after it, or what
``RADIUS`` says for the detector; merged when they overlap, cut at whitespace), so a 4 KB field
with one mark costs one detector pass over a few hundred characters instead of fourteen passes
over four thousand. A window that does not start (end) where
the text does is preceded (followed) by ``!``, which no shape accepts at a start or an end, so
``^`` and ``$`` inside a window still mean the start and the end of the text. When decoding
changed the length of a long text, its marks are found block by block (blocks cut at
whitespace, where no encoding is cut in two) and each window is decoded on its own. Match
offsets are offsets in the raw text, or the start of the text when a window's decoding changed
its length (as ``_normalize.hit`` does for a whole text).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from ..model import Match
from . import _batch, _routes
from ._normalize import Views, make, views

# The detectors, in the order ``scan`` reports them: each is the module of that name (its ``ID``).
# A module is imported (its regexes compiled) the first time ``scan`` routes a text to it.
REGISTRY: tuple[str, ...] = (
    "sqli",
    "nosqli",
    "cmdi",
    "code_injection",
    "path_traversal",
    "xss",
    "ssti",
    "xxe",
    "ssrf",
    "ldapi",
    "crlf",
    "proto_pollution",
    "deserialization",
    "log4shell",
)
_loaded: dict[str, ModuleType] = {}


def detector(rule: str) -> ModuleType:
    """The module of detector ``rule``, imported on first use."""
    module = _loaded.get(rule)
    if module is None:
        module = _loaded[rule] = importlib.import_module(f"{__name__}.{rule}")
    return module


def all_detectors() -> tuple[ModuleType, ...]:
    """Every detector module, in ``REGISTRY`` order (imports those not loaded yet)."""
    return tuple(detector(rule) for rule in REGISTRY)


def __getattr__(name: str) -> Any:
    """``DETECTORS``: ``all_detectors()``, for callers that read the registry as a tuple."""
    if name == "DETECTORS":
        return all_detectors()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


LONG = 2048  # longer texts are read in windows around their marks
BEFORE = 256  # characters of a window before a mark
AFTER = 768  # and after it
# Per detector, (BEFORE, AFTER) where its shapes are shorter or longer than the default: how
# far a shape reaches from the mark that routes it (a few characters of context more). sqli:
# statements of about 250 characters, a comment up to 200 characters after the start of its
# shape; ssti: ``{{`` and 512 + 512 characters; short shapes (a header, a filter, a key).
RADIUS: dict[str, tuple[int, int]] = {
    "sqli": (256, 384),
    "nosqli": (96, 256),
    "cmdi": (128, 384),
    "code_injection": (96, 256),
    "ssti": (96, 1152),
    "ssrf": (96, 384),
    "xxe": (96, 384),
    "ldapi": (96, 256),
    "crlf": (32, 128),
    "proto_pollution": (96, 256),
    "deserialization": (96, 384),
    "log4shell": (128, 1024),
}
SNAP = 64  # how far a window edge may move to reach whitespace
BLOCK = 1024  # block size when marks are found block by block
OVERLAP = 128  # how far the mark search of a block looks into the next one
_SENTINEL = "!"
_WS = re.compile(r"[ \t\n\r\f\v]")


def scan(text: str) -> list[tuple[str, Match]]:
    """Every detector that fires on ``text``, with its match (in ``REGISTRY`` order)."""
    v = views(text)
    if len(text) > LONG:
        return _scan_long(v)
    rules = _routes.route(v.low, v.raw.lower() if v.changed else None)
    if not rules:
        return []
    hits: list[tuple[str, Match]] = []
    for rule in REGISTRY:
        if rule in rules:
            match = detector(rule).detect_views(v)
            if match is not None:
                hits.append((rule, match))
    return hits


def scan_many(texts: Sequence[str]) -> dict[int, list[tuple[str, Match]]]:
    """``scan`` of each of ``texts``, by index, for the texts it finds something in. The short
    printable texts are routed together in one pass (``_batch``): only those with a mark, and
    the others, are scanned one by one."""
    out: dict[int, list[tuple[str, Match]]] = {}
    for i in _batch.routed(texts, LONG):
        hits = scan(texts[i])
        if hits:
            out[i] = hits
    return out


def _positions(v: Views) -> dict[str, list[tuple[int, int]]]:
    """Per detector, the raw-text spans its marks stand in, in the long text of ``v``: one
    position, or a whole block where decoding changed lengths."""
    raw = v.raw
    found: dict[str, list[tuple[int, int]]] = {}
    if len(v.text) == len(raw) == len(v.low):
        for pos, rule in _routes.marks(v.low, raw.lower() if v.changed else None):
            found.setdefault(rule, []).append((pos, pos))
        return found
    # Decoding changed lengths: decode block by block (cut at whitespace, so no encoding is cut
    # in two and the blocks decode as the whole does); a mark in a block whose decoding changed
    # its length stands for the whole block.
    n = len(raw)
    pos = 0
    while pos < n:
        end = _block_end(raw, pos)
        stop = min(n, end + OVERLAP)
        bv = make(raw[pos:stop])
        raw_low = bv.raw.lower() if bv.changed else None
        # the marks before the first change and after the last stand where they are found;
        # those between stand for the changed span (the whole block when lower-casing the raw
        # text changed its length, which would shift the tail)
        head = tail = len(bv.low)
        if len(bv.low) != len(bv.raw):
            if raw_low is not None and len(raw_low) == len(bv.raw):
                head, tail = _unchanged_ends(raw_low, bv.low)
            else:
                head = tail = 0
        shift = len(bv.raw) - len(bv.low)
        changed = (pos + head, stop - tail)
        for at, rule in _routes.marks(bv.low, raw_low):
            if at < head:
                if at < end - pos:
                    found.setdefault(rule, []).append((pos + at, pos + at))
            elif at >= len(bv.low) - tail:
                if at + shift < end - pos:
                    found.setdefault(rule, []).append((pos + at + shift, pos + at + shift))
            else:
                found.setdefault(rule, []).append(changed)
        pos = end
    return found


def _unchanged_ends(a: str, b: str) -> tuple[int, int]:
    """The lengths of the longest common prefix and the longest common suffix of ``a`` and
    ``b`` that do not overlap in the shorter one (binary searches of C comparisons)."""
    n = min(len(a), len(b))
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a.startswith(b[:mid]):
            lo = mid
        else:
            hi = mid - 1
    head = lo
    lo, hi = 0, n - head
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a.endswith(b[len(b) - mid :]):
            lo = mid
        else:
            hi = mid - 1
    return head, lo


def _block_end(raw: str, pos: int) -> int:
    """End of the block that starts at ``pos``: just after the last whitespace of its second
    half, else after the next whitespace, else the end of the text."""
    end = pos + BLOCK
    if end >= len(raw):
        return len(raw)
    cut = max(raw.rfind(ws, pos + BLOCK // 2, end) for ws in " \n\t\r")
    if cut >= 0:
        return cut + 1
    m = _WS.search(raw, end)
    return m.end() if m else len(raw)


def _windows(raw: str, marks: list[tuple[int, int]], rule: str) -> list[tuple[int, int]]:
    """Merged windows around ``marks`` (spans of detector ``rule``), their edges moved out to
    whitespace."""
    n = len(raw)
    before, after = RADIUS.get(rule, (BEFORE, AFTER))
    spans: list[tuple[int, int]] = []
    for lo, hi in sorted(marks):
        start, end = max(0, lo - before), min(n, hi + after)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if start > 0:  # start at the whitespace before, so the window begins like the text
            cut = max(raw.rfind(ws, max(0, start - SNAP), start + 1) for ws in " \n\t\r")
            start = cut if cut >= 0 else start
        if end < n:  # and end just after a whitespace
            m = _WS.search(raw, end, min(n, end + SNAP))
            end = m.end() if m else end
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


class _Window:
    """The views of ``raw[start:end]``, with a sentinel at each edge that is not the text's."""

    def __init__(self, v: Views, start: int, end: int) -> None:
        raw = v.raw
        self.start, self.end, self.n = start, end, len(raw)
        self.pre = _SENTINEL if start > 0 else ""
        post = _SENTINEL if end < len(raw) else ""
        if len(v.text) == len(raw) == len(v.low):
            wraw = self.pre + raw[start:end] + post
            wtext = wraw if v.text is raw else self.pre + v.text[start:end] + post
            self.views = Views(wraw, wtext, self.pre + v.low[start:end] + post)
        else:
            self.views = make(self.pre + raw[start:end] + post)

    def match(self, m: Match) -> Match:
        """``m`` (found in the window) in offsets of the whole raw text."""
        wv = self.views
        if len(wv.low) != len(wv.raw):  # as _normalize.hit: the start of the text
            return Match(0, min(self.n, max(1, m.end - m.start)), m.detail)
        shift = self.start - len(self.pre)
        start = min(max(m.start + shift, self.start), self.end)
        end = min(max(m.end + shift, start), self.end)
        return Match(start, end, m.detail)


def _scan_long(v: Views) -> list[tuple[str, Match]]:
    """``scan`` of a long text: each routed detector reads the windows around its marks."""
    positions = _positions(v)
    if not positions:
        return []
    made: dict[tuple[int, int], _Window] = {}
    hits: list[tuple[str, Match]] = []
    for rule in REGISTRY:
        marks = positions.get(rule)
        if not marks:
            continue
        module = detector(rule)
        for start, end in _windows(v.raw, marks, rule):
            window = made.get((start, end))
            if window is None:
                window = made[start, end] = _Window(v, start, end)
            match = module.detect_views(window.views)
            if match is not None:
                hits.append((rule, window.match(match)))
                break
    return hits
