"""EventBridge event patterns: does an event match the pattern of a declared rule?

An event a rule delivers does not name the rule, but it matched the rule's event pattern; the
origin check of ``eventbridge`` asks this module whether an event matches one of the declared
rules' patterns. The semantics are EventBridge's content filtering:

- a pattern is a JSON object; every key must match (AND). A key whose value is an object is
  matched against the event's object at that key (or, when the event has an array there, against
  any object in it); a key whose value is an array lists matchers, of which one must match (OR);
- an event value that is an array matches when any of its elements does (arrays in arrays are
  flattened); an empty array, an object or a missing key is no value at all;
- matchers: literal strings, numbers (compared as numbers, only with JSON numbers), ``true``,
  ``false`` and ``null`` (``null`` and ``""`` are distinct); ``{"prefix": s}``,
  ``{"suffix": s}`` (each also ``{"equals-ignore-case": s}`` inside), ``{"equals-ignore-case":
  s}``, ``{"wildcard": s}`` (``*`` any run of characters, ``\\*`` a star); ``{"anything-but":
  value | [values] | {"prefix"|"suffix": s} | {"equals-ignore-case"|"wildcard": s | [s]}}``
  (a present value only); ``{"numeric": [">", 0, "<=", 5]}`` (``=``, ``<``, ``<=``, ``>``,
  ``>=``, one or a lower and an upper bound, JSON numbers only); ``{"exists": true | false}``
  (``false`` matches a missing key); ``{"cidr": "10.0.0.0/24"}`` (IPv4 or IPv6 text);
- ``"$or": [pattern, ...]`` at any level: one of the sub-patterns must match too.

``parse`` raises ``Unsupported`` for anything else (another operator, an empty matcher list, a
pattern past ``MAX_PATTERN_CHARS`` or ``MAX_PATTERN_DEPTH``): the constructs call it at synth and
leave such a pattern out of the policy with a warning, so the runtime accepts those events as
before (an unverifiable origin is accepted, never guessed at). Matching walks only the keys the
pattern names, no deeper than the pattern, and counts every value compared against
``MAX_PATTERN_STEPS`` (``TooMuchWork``): a hostile event (a huge array under a named key) costs
a bounded time, and no input makes it raise anything else.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..limits import MAX_PATTERN_CHARS, MAX_PATTERN_DEPTH, MAX_PATTERN_STEPS

MISSING: Any = object()  # the value of a key the event does not have
_OPS = ("=", "<", "<=", ">", ">=")
_LOWER = (">", ">=")
_UPPER = ("<", "<=")
_CACHE_SIZE = 32

Test = Callable[[Any], bool]


class Unsupported(ValueError):
    """The pattern uses something this module does not match (the message says what)."""


class TooMuchWork(Exception):
    """Matching one event compared more than ``MAX_PATTERN_STEPS`` values."""


class _Steps:
    __slots__ = ("left",)

    def __init__(self, left: int) -> None:
        self.left = left

    def take(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise TooMuchWork(MAX_PATTERN_STEPS)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Literals:
    """Literal values of a matcher list (or of an anything-but), looked up in O(1)."""

    __slots__ = ("false", "null", "numbers", "strings", "true")

    def __init__(self) -> None:
        self.strings: set[str] = set()
        self.numbers: set[int | float] = set()
        self.null = self.true = self.false = False

    def add(self, value: Any, where: str) -> None:
        if isinstance(value, str):
            self.strings.add(value)
        elif value is None:
            self.null = True
        elif value is True:
            self.true = True
        elif value is False:
            self.false = True
        elif _is_number(value):
            self.numbers.add(value)
        else:
            raise Unsupported(f"{where}: {type(value).__name__} is not a JSON scalar")

    def __contains__(self, value: Any) -> bool:
        if isinstance(value, str):
            return value in self.strings
        if value is None:
            return self.null
        if value is True:
            return self.true
        if value is False:
            return self.false
        return _is_number(value) and value in self.numbers

    def __bool__(self) -> bool:
        return bool(self.strings or self.numbers or self.null or self.true or self.false)


# -- string tests ---------------------------------------------------------------------------------


def _text(value: Any, key: str, where: str) -> str:
    if not isinstance(value, str):
        raise Unsupported(f"{where}: {key!r} takes a string")
    return value


def _affix(kind: str, arg: Any, where: str) -> Test:
    """``prefix``/``suffix``, with ``{"equals-ignore-case": s}`` as its argument or not."""
    fold = isinstance(arg, Mapping)
    if fold:
        if set(arg) != {"equals-ignore-case"}:
            raise Unsupported(f"{where}: {kind} takes a string or {{'equals-ignore-case': ...}}")
        arg = arg["equals-ignore-case"]
    text = _text(arg, kind, where)
    if fold:
        folded = text.casefold()
        if kind == "prefix":
            return lambda v: isinstance(v, str) and v.casefold().startswith(folded)
        return lambda v: isinstance(v, str) and v.casefold().endswith(folded)
    if kind == "prefix":
        return lambda v: isinstance(v, str) and v.startswith(text)
    return lambda v: isinstance(v, str) and v.endswith(text)


def _ignore_case(arg: Any, where: str, *, many: bool = False) -> Test:
    texts = arg if many and isinstance(arg, list) else [arg]
    folded = {_text(t, "equals-ignore-case", where).casefold() for t in texts}
    if not folded:
        raise Unsupported(f"{where}: an empty equals-ignore-case list")
    return lambda v: isinstance(v, str) and v.casefold() in folded


def _wildcard_segments(text: str, where: str) -> list[str]:
    """The literal runs between the unescaped stars (``\\*`` a star, ``\\\\`` a backslash)."""
    segments = [""]
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            nxt = text[i + 1 : i + 2]
            if nxt not in ("*", "\\"):
                raise Unsupported(f"{where}: wildcard escapes only '*' and '\\'")
            segments[-1] += nxt
            i += 2
            continue
        if ch == "*":
            if i + 1 < len(text) and text[i + 1] == "*":
                raise Unsupported(f"{where}: consecutive wildcard characters")
            segments.append("")
        else:
            segments[-1] += ch
        i += 1
    return segments


def _glob(segments: list[str], value: str) -> bool:
    """Leftmost matching of literal runs: linear, no backtracking."""
    if len(segments) == 1:
        return value == segments[0]
    head, tail = segments[0], segments[-1]
    if len(value) < len(head) + len(tail) or not value.startswith(head):
        return False
    if not value.endswith(tail):
        return False
    pos, end = len(head), len(value) - len(tail)
    for part in segments[1:-1]:
        found = value.find(part, pos, end)
        if found < 0:
            return False
        pos = found + len(part)
    return True


def _wildcard(arg: Any, where: str, *, many: bool = False) -> Test:
    texts = arg if many and isinstance(arg, list) else [arg]
    if not texts:
        raise Unsupported(f"{where}: an empty wildcard list")
    globs = [_wildcard_segments(_text(t, "wildcard", where), where) for t in texts]
    return lambda v: isinstance(v, str) and any(_glob(g, v) for g in globs)


# -- other tests ----------------------------------------------------------------------------------


def _numeric(arg: Any, where: str) -> Test:
    if not isinstance(arg, list) or len(arg) not in (2, 4):
        raise Unsupported(f"{where}: numeric takes [op, n] or [op, n, op, n]")
    pairs = [(arg[i], arg[i + 1]) for i in range(0, len(arg), 2)]
    for op, bound in pairs:
        if op not in _OPS or not _is_number(bound):
            raise Unsupported(f"{where}: numeric {op!r} {bound!r}")
    if len(pairs) == 2 and not (
        {pairs[0][0], pairs[1][0]} <= {*_LOWER, *_UPPER}
        and (pairs[0][0] in _LOWER) != (pairs[1][0] in _LOWER)
    ):
        raise Unsupported(f"{where}: numeric takes one lower and one upper bound")

    def test(value: Any) -> bool:
        if not _is_number(value):
            return False
        for op, bound in pairs:
            if op == "=":
                ok = value == bound
            elif op == "<":
                ok = value < bound
            elif op == "<=":
                ok = value <= bound
            elif op == ">":
                ok = value > bound
            else:
                ok = value >= bound
            if not ok:
                return False
        return True

    return test


def _cidr(arg: Any, where: str) -> Test:
    import ipaddress  # only when a pattern has a cidr matcher: not on the import path

    try:
        network = ipaddress.ip_network(_text(arg, "cidr", where), strict=False)
    except ValueError:
        raise Unsupported(f"{where}: {arg!r} is not a CIDR block") from None

    def test(value: Any) -> bool:
        if not isinstance(value, str) or len(value) > 64:
            return False
        try:
            return ipaddress.ip_address(value) in network
        except ValueError:
            return False

    return test


def _anything_but(arg: Any, where: str) -> Test:
    if isinstance(arg, Mapping):
        if len(arg) != 1:
            raise Unsupported(f"{where}: anything-but takes one operator")
        ((kind, inner),) = arg.items()
        if kind in ("prefix", "suffix"):
            test = _affix(kind, _text(inner, kind, where), where)
        elif kind == "equals-ignore-case":
            test = _ignore_case(inner, where, many=True)
        elif kind == "wildcard":
            test = _wildcard(inner, where, many=True)
        else:
            raise Unsupported(f"{where}: anything-but {kind!r}")
        # a value the operator cannot apply to (a number for prefix) is "anything but" it
        return lambda v: not test(v)
    values = _Literals()
    for value in arg if isinstance(arg, list) else [arg]:
        if isinstance(value, Mapping | list):
            raise Unsupported(f"{where}: anything-but of {type(value).__name__}")
        values.add(value, where)
    if not values:
        raise Unsupported(f"{where}: an empty anything-but list")
    return lambda v: v not in values


# -- patterns -------------------------------------------------------------------------------------


class _Leaf:
    """The matcher list at one key: literals, tests, and what ``exists`` asks."""

    __slots__ = ("exists", "literals", "missing", "tests")

    def __init__(self, matchers: list[Any], where: str) -> None:
        if not matchers:
            raise Unsupported(f"{where}: an empty matcher list")
        self.literals = _Literals()
        self.tests: list[Test] = []
        self.exists = False  # {"exists": true}: any value
        self.missing = False  # {"exists": false}: no value
        for matcher in matchers:
            if not isinstance(matcher, Mapping):
                self.literals.add(matcher, where)
                continue
            if len(matcher) != 1:
                raise Unsupported(f"{where}: a matcher has one operator, not {sorted(matcher)}")
            ((kind, arg),) = matcher.items()
            if kind == "exists":
                if not isinstance(arg, bool):
                    raise Unsupported(f"{where}: exists takes true or false")
                if arg:
                    self.exists = True
                else:
                    self.missing = True
            elif kind in ("prefix", "suffix"):
                self.tests.append(_affix(kind, arg, where))
            elif kind == "equals-ignore-case":
                self.tests.append(_ignore_case(arg, where))
            elif kind == "wildcard":
                self.tests.append(_wildcard(arg, where))
            elif kind == "anything-but":
                self.tests.append(_anything_but(arg, where))
            elif kind == "numeric":
                self.tests.append(_numeric(arg, where))
            elif kind == "cidr":
                self.tests.append(_cidr(arg, where))
            else:
                raise Unsupported(f"{where}: unknown operator {kind!r}")

    def match(self, value: Any, steps: _Steps) -> bool:
        if value is MISSING:
            return self.missing
        cost = 1 + len(self.tests)
        seen = False
        for scalar in _scalars(value, steps):
            seen = True
            steps.take(cost)
            if self.exists or scalar in self.literals:
                return True
            for test in self.tests:
                if test(scalar):
                    return True
        return self.missing and not seen


def _flattened(items: list[Any], steps: _Steps) -> Iterator[Any]:
    """Every item of ``items`` that is not itself a list, arrays in arrays flattened, each
    counted as a step (an explicit stack: no recursion on deep nesting)."""
    stack = [iter(items)]
    while stack:
        for item in stack[-1]:
            steps.take()
            if isinstance(item, list):
                stack.append(iter(item))
                break
            yield item
        else:
            stack.pop()


def _scalars(value: Any, steps: _Steps) -> Iterator[Any]:
    """The scalar values at a key: the value, or every scalar of an array (flattened)."""
    if not isinstance(value, list):
        if not isinstance(value, Mapping):
            yield value
        return
    for item in _flattened(value, steps):
        if not isinstance(item, Mapping):
            yield item


def _objects(value: Any, steps: _Steps) -> Iterator[Mapping[str, Any]]:
    """The objects at a key: the value, or every object of an array (flattened)."""
    if isinstance(value, Mapping):
        yield value
        return
    if not isinstance(value, list):
        return
    for item in _flattened(value, steps):
        if isinstance(item, Mapping):
            yield item


class Pattern:
    """One object of a pattern: its keys (each a ``Pattern`` or a ``_Leaf``) and its ``$or``."""

    __slots__ = ("alternatives", "fields")

    def __init__(self, doc: Any, where: str = "$", depth: int = 0) -> None:
        if not isinstance(doc, Mapping) or not doc:
            raise Unsupported(f"{where}: a pattern is a non-empty JSON object")
        if depth >= MAX_PATTERN_DEPTH:
            raise Unsupported(f"{where}: nested deeper than {MAX_PATTERN_DEPTH}")
        self.fields: list[tuple[str, Pattern | _Leaf]] = []
        self.alternatives: list[Pattern] = []
        for key, value in doc.items():
            if not isinstance(key, str):
                raise Unsupported(f"{where}: a key is not a string")
            path = f"{where}.{key}"
            if key == "$or":
                if not isinstance(value, list) or not value:
                    raise Unsupported(f"{path}: $or takes a list of patterns")
                self.alternatives = [Pattern(alt, path, depth + 1) for alt in value]
            elif isinstance(value, Mapping):
                self.fields.append((key, Pattern(value, path, depth + 1)))
            elif isinstance(value, list):
                self.fields.append((key, _Leaf(value, path)))
            else:
                raise Unsupported(f"{path}: a value is an object or a list of matchers")

    def match(self, event: Any, steps: _Steps) -> bool:
        """True when ``event`` (an object, or ``MISSING``) matches this level of the pattern."""
        steps.take()
        found = event if isinstance(event, Mapping) else {}
        for key, part in self.fields:
            value = found.get(key, MISSING)
            if isinstance(part, _Leaf):
                if not part.match(value, steps):
                    return False
            elif not part.match_any(value, steps):
                return False
        return not self.alternatives or any(alt.match(event, steps) for alt in self.alternatives)

    def match_any(self, value: Any, steps: _Steps) -> bool:
        """A nested pattern: any object at the key matches; with none, the key is missing."""
        seen = False
        for obj in _objects(value, steps):
            seen = True
            if self.match(obj, steps):
                return True
        return not seen and self.match(MISSING, steps)

    def matches(self, event: Any) -> bool:
        """Does the event match? Raises ``TooMuchWork`` past ``MAX_PATTERN_STEPS``."""
        return self.match(event, _Steps(MAX_PATTERN_STEPS))


def parse(pattern: Any) -> Pattern:
    """The matcher of a pattern (a JSON object, already parsed); ``Unsupported`` says why not."""
    try:
        size = len(json.dumps(pattern, separators=(",", ":")))
    except (TypeError, ValueError, RecursionError):
        raise Unsupported("the pattern is not plain JSON") from None
    if size > MAX_PATTERN_CHARS:
        raise Unsupported(f"the pattern is {size} characters, over {MAX_PATTERN_CHARS}")
    return Pattern(pattern)


_cache: dict[str, Pattern | None] = {}


def cached(text: str) -> Pattern | None:
    """The matcher of a pattern given as JSON text, None when it is not supported (parsed once
    per text: a policy's patterns are parsed with the first event that needs them)."""
    if text in _cache:
        return _cache[text]
    try:
        found: Pattern | None = (
            parse(json.loads(text)) if len(text) <= MAX_PATTERN_CHARS * 2 else None
        )
    except (Unsupported, ValueError, RecursionError):
        found = None
    if len(_cache) >= _CACHE_SIZE:
        _cache.clear()
    _cache[text] = found
    return found


def matches_any(event: Any, patterns: list[Pattern]) -> bool:
    """Does the event match one of the patterns? The step budget is shared by all of them."""
    steps = _Steps(MAX_PATTERN_STEPS)
    return any(p.match(event, steps) for p in patterns)
