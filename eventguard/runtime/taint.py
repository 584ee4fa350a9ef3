"""Taint: the untrusted strings of the current invocation, so that a sink can tell when event
data reaches it (a shell command line, an ``eval`` source, a host, a file path).

A detector needs a signature; taint does not. A value that arrived in the event and turns up,
unchanged, in a dangerous position of a sink is blocked even when no rule knows the attack.

Cost model: ``begin`` runs on every invocation and only walks the event for its raw strings
(bounded by ``MAX_TAINT_NODES``); the expensive part (decoding JSON, base64 and URL-encoded
values into their leaves, with ``fields.expand``) runs lazily, the first time a sink asks,
which is rare. Strings shorter than ``MIN_TAINT_CHARS`` are ignored to avoid noise, unless they
carry a shell or path metacharacter (then ``MIN_MARKED_TAINT_CHARS``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

MIN_TAINT_CHARS = 6  # a plain event string shorter than this is never a taint source
MIN_MARKED_TAINT_CHARS = 3  # ... unless it carries one of MARKERS
MARKERS = frozenset(";|&$`<>\n'\"/\\(){}")
MAX_TAINT_NODES = 20_000  # containers and strings walked in one event at begin()
MAX_TAINT_STRINGS = 2_000  # tainted strings kept for one invocation
MAX_TAINT_CHARS = 64 * 1024  # a longer string is kept as its first MAX_TAINT_CHARS characters
MAX_TAINT_TOTAL_CHARS = 2 * 1024 * 1024  # all tainted strings of one invocation together
MAX_FORM_FIELDS = 1000  # fields taken from one query-string-like value
MAX_EXPAND_SECONDS = 0.05  # wall-clock budget of the lazy decoding


def _keep(text: str) -> bool:
    n = len(text)
    if n >= MIN_TAINT_CHARS:
        return True
    return n >= MIN_MARKED_TAINT_CHARS and not MARKERS.isdisjoint(text)


def raw_strings(event: Any) -> list[str]:
    """Every string of the event, keys included, depth first; at most MAX_TAINT_NODES values
    and keys are visited. Exact-type tests first: this runs on every invocation."""
    out: list[str] = []
    append = out.append
    stack: list[Any] = [event]
    pop, push = stack.pop, stack.append
    budget = MAX_TAINT_NODES
    while stack and budget > 0:
        value = pop()
        budget -= 1
        kind = type(value)
        if kind is str:
            append(value)
        elif kind is dict or (kind is not list and isinstance(value, Mapping)):
            if len(value) >= budget:
                value = dict(list(value.items())[: max(budget - 1, 0)])
            budget -= len(value)
            for key, item in value.items():
                if type(key) is str:
                    append(key)
                push(item)
        elif kind is list or kind is tuple:
            stack.extend(value[: max(budget, 0)])
        elif isinstance(value, str):
            append(value)
        elif isinstance(value, bytes | bytearray):
            append(bytes(value[:MAX_TAINT_CHARS]).decode("utf-8", "replace"))
    return out


def _decoded(text: str) -> Iterator[str]:
    """The leaves a string decodes to (JSON, base64, ...), and its URL-decoded form."""
    if "%" in text or "+" in text:
        plain = unquote_plus(text)
        if plain != text:
            yield plain
    if "=" in text and len(text) <= MAX_TAINT_CHARS:  # a query string or form body
        try:
            pairs = parse_qsl(text, max_num_fields=MAX_FORM_FIELDS)
        except ValueError:
            pairs = []
        for key, value in pairs:
            yield key
            yield value
    try:
        from .fields import Budget, expand

        budget = Budget(deadline=time.perf_counter() + MAX_EXPAND_SECONDS)
        for _, leaf in expand("", text, budget):
            if leaf != text:
                yield leaf
    except Exception:
        return


class Taint:
    """The current invocation's untrusted strings; one per container, fed by ``invocation()``."""

    __slots__ = ("_path_strings", "_raw", "_strings")

    def __init__(self) -> None:
        self._raw: list[str] = []
        self._strings: tuple[str, ...] | None = ()
        self._path_strings: tuple[str, ...] = ()

    def begin(self, event: Any) -> None:
        """Remember the event's raw strings (cheap); decoding waits for the first sink."""
        self._raw = raw_strings(event)
        self._strings = None

    def end(self) -> None:
        self._raw = []
        self._strings = ()
        self._path_strings = ()

    def strings(self) -> tuple[str, ...]:
        """The tainted strings, decoded, deduplicated and bounded (computed once)."""
        if self._strings is None:
            seen: dict[str, None] = {}
            total = 0
            for raw in self._raw:
                if len(raw) < MIN_MARKED_TAINT_CHARS:
                    continue
                for text in (raw, *_decoded(raw)):
                    text = text[:MAX_TAINT_CHARS]
                    if text in seen or not _keep(text):
                        continue
                    total += len(text)
                    if len(seen) >= MAX_TAINT_STRINGS or total > MAX_TAINT_TOTAL_CHARS:
                        break
                    seen[text] = None
                if len(seen) >= MAX_TAINT_STRINGS or total > MAX_TAINT_TOTAL_CHARS:
                    break
            ordered = tuple(seen)
            self._strings = ordered
            self._path_strings = tuple(
                s for s in ordered if ".." in s or s.startswith(("/", "\\", "~"))
            )
        return self._strings

    def active(self) -> bool:
        return bool(self._raw)

    def found_in(self, text: str) -> str | None:
        """A tainted string that occurs inside ``text``, or None."""
        if not self._raw:
            return None
        for tainted in self.strings():
            if tainted in text:
                return tainted
        return None

    def containing(self, text: str) -> str | None:
        """A tainted string that contains ``text`` (a host inside an event URL), or None."""
        if not self._raw or len(text) < MIN_MARKED_TAINT_CHARS:
            return None
        for tainted in self.strings():
            if text in tainted:
                return tainted
        return None

    def path_strings(self) -> tuple[str, ...]:
        """Tainted strings that could steer a path out of its directory (``..``, absolute)."""
        if not self._raw:
            return ()
        self.strings()
        return self._path_strings
