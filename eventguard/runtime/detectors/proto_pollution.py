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

_PATTERN = re.compile(
    r"__proto__"
    r"|\bconstructor\s?['\"]?\s?(?:\.|\[|['\"]?\s?:\s?\{)\s?['\"]?\s?prototype\b"
    r"|\b(?:object|array|function|string|number)\s?\.\s?prototype\s?(?:\.|\[)\s?['\"]?\w+['\"]?\s?\]?\s?="
    r"|\[\s?['\"]?prototype['\"]?\s?\]\s?\["
)
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = ("proto",)


def detect_views(v: Views) -> Match | None:
    low = v.low
    if not any_in(low, NEEDLES):
        return None
    m = _PATTERN.search(low)
    if m:
        return hit(v, m.start(), m.end(), "prototype key")
    return None


def detect(text: str) -> Match | None:
    """The first prototype pollution key in ``text``, or None."""
    return detect_views(views(text))
