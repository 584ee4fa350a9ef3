"""Prototype pollution (CWE-1321): keys that reach a JavaScript object's prototype.

What it catches
    ``__proto__`` as a key, a property path or a query parameter (``{"__proto__": {...}}``,
    ``?__proto__[isAdmin]=1``, ``a.__proto__.b``), ``constructor.prototype`` in any spelling
    (``constructor[prototype]``, ``{"constructor": {"prototype": ...}}``), and assignments to
    built-in prototypes (``Object.prototype.x =``). The engine hands object keys over as fields
    of their own, so a key ``__proto__`` is caught wherever it appears.

Why
    A merge, clone or path-setter that copies attacker keys into an object walks ``__proto__``
    into ``Object.prototype`` and changes every object of the process: authorization flags,
    template options and child-process arguments (remote code execution in Node.js).

Examples
    ``{"__proto__": {"isAdmin": true}}``, ``__proto__[src]=data:,alert(1)``,
    ``constructor[prototype][polluted]=yes``, ``Object.prototype.isAdmin = true``.

References
    CWE-1321; Olivier Arteau, "Prototype pollution attack in NodeJS application" (2018);
    PayloadsAllTheThings "Prototype Pollution".
"""

from __future__ import annotations

import re

from ..model import Match
from ._normalize import Views, any_in, hit, views

ID = "proto_pollution"
CWE = "CWE-1321"

_ALTERNATIVES = (
    r"__proto__",
    r"\bconstructor\s?['\"]?\s?(?:\.|\[|['\"]?\s?:\s?\{)\s?['\"]?\s?prototype\b",
    r"\b(?:object|array|function|string|number)\s?\.\s?prototype\s?(?:\.|\[)\s?['\"]?\w+['\"]?\s?\]?\s?=",
    r"\[\s?['\"]?prototype['\"]?\s?\]\s?\[",
)
_PATTERN = re.compile("|".join(_ALTERNATIVES))
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = ("proto",)

# ``_PATTERN`` has alternatives that start with a word boundary: the regex engine would try them
# at every character. Each is looked for on its own instead, from a literal; the whole pattern
# first matches where the leftmost of them starts.
_CONSTRUCTOR = re.compile(
    r"constructor(?<!\wconstructor)" + _ALTERNATIVES[1].removeprefix(r"\bconstructor")
)
_BUILTIN = re.compile(_ALTERNATIVES[2])
_BRACKET = re.compile(_ALTERNATIVES[3])
MAX_MARKS = 32


def _builtin(low: str) -> int:
    """The start of the first match of ``_BUILTIN`` (a built-in name, at most 8 letters, maybe
    a space, a dot, maybe a space, then "prototype"), or -1."""
    end = 0
    pos = low.find("prototype")
    for _ in range(MAX_MARKS):
        if pos < 0:
            return -1
        for start in range(max(end, pos - 11), pos - 4):
            if _BUILTIN.match(low, start):
                return start
        end = max(end, pos - 4)
        pos = low.find("prototype", pos + 1)
    m = _BUILTIN.search(low, end)
    return m.start() if m else -1


def detect_views(v: Views) -> Match | None:
    low = v.low
    if not any_in(low, NEEDLES):
        return None
    starts = [low.find("__proto__")]
    if "prototype" in low:
        if "constructor" in low:
            m = _CONSTRUCTOR.search(low)
            if m:
                starts.append(m.start())
        if "=" in low:
            starts.append(_builtin(low))
        if "[" in low:
            m = _BRACKET.search(low)
            if m:
                starts.append(m.start())
    starts = [start for start in starts if start >= 0]
    if starts:
        m = _PATTERN.match(low, min(starts))
        if m:
            return hit(v, m.start(), m.end(), "prototype key")
    return None


def detect(text: str) -> Match | None:
    """The first prototype pollution key in ``text``, or None."""
    return detect_views(views(text))


def detect_key(name: str, path: str) -> Match | None:
    """``detect`` for an object key ``name`` whose own path (dotted, ending in the name) is
    ``path``: a key ``prototype`` is a pollution when the key above it is ``constructor``
    (``{"constructor": {"prototype": {"isAdmin": true}}}``), which neither name shows alone.
    The match spans the whole name."""
    match = detect(name)
    if match is not None or views(name).low != "prototype":
        return match
    found = detect(path)
    return None if found is None else Match(0, len(name), found.detail)
