"""NoSQL injection (CWE-943): MongoDB query operators and server-side JavaScript in a value.

What it catches
    - query operators where a plain value was expected: as a JSON key (``{"$gt": ""}``,
      ``{"$where": "..."}``), as a bracketed query parameter (``password[$ne]=x``), as an
      object key handed over on its own (a key ``$regex``), or spliced into a query literal
      (``', $or: [ {}, { 'a':'a``);
    - server-side JavaScript breaking out of a string: ``'; sleep(5000); '``,
      ``' && this.password.match(/.*/)//``, ``'; return true; var x='``, busy loops on ``Date``;
    - shell-style calls of the driver (``db.users.find({...})``).

Why
    MongoDB, CouchDB and friends take objects as queries: an attacker who can put ``{"$ne":
    null}`` where a string was expected turns an equality test into "anything". A dollar sign
    followed by an operator name is not ordinary text ("$5", "US$ 20" are not operators).

Examples
    ``{"username": {"$ne": null}, "password": {"$ne": null}}``, ``login[$regex]=a.*``,
    ``true, $where: '1 == 1'``, ``';return 'a'=='a' && ''=='``.

References
    CWE-943; OWASP Testing Guide "Testing for NoSQL Injection"; PayloadsAllTheThings
    "NoSQL Injection".
"""

from __future__ import annotations

import re

from ..model import Match
from ._normalize import Views, any_in, hit, views

ID = "nosqli"
CWE = "CWE-943"

_OPS = (
    r"(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch|type"
    r"|size|all|mod|text|jsonschema|function|accumulator|lookup|comment|options|search)"
)
_OPERATOR = re.compile(
    rf"[\"'{{,\[]\s?\${_OPS}\b\s?[\"'\]]?\s?[:=\]]"  # {"$gt": , [$ne]= , , $where:
    rf"|^\s?\${_OPS}\s?(?:$|:)"  # the key on its own
    rf"|\[\s?\${_OPS}\s?\]"
)
_JS = re.compile(
    r"['\"]\s?(?:;|&&|\|\|)\s?(?:sleep\s?\(\s?\d|this\.\w+|return\b|while\s?\(|it\s?=\s?new\s+date"
    r"|db\.\w+|var\s|function\s?\()"
    r"|;\s?return\s+(?:true|false|1|this\b)|(?:\|\||&&)\s?['\"\w]+\s?===?\s?['\"\w]+"
    r"|\bthis\.\w+\.match\s?\(|\bdb\.\w+\.(?:find|findone|insert|update|remove|drop|aggregate)"
    r"\w*\s?\(|\bnew\s+date\s?\(\s?\)\s?;\s?\}?\s?while\s?\(|\bdo\s?\{[^}]{0,64}new\s+date"
)
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = ("$", "this.", "db.", "return", "==", "date", "sleep", "while", "var ", "function")

# Both patterns start with a character class or a word boundary: the regex engine would try
# them at every character. Each alternative has a mark instead, at most a few characters after
# its start, that a C search finds; the pattern then runs from where the first mark allows.
_OPERATOR_MARK = re.compile(rf"\${_OPS}")  # the "$" is at most 2 characters in
_QUOTE_SEPARATOR = re.compile(r";(?:(?<=['\"];)|(?<=['\"]\s;))")  # 1st alternative of _JS
_QUOTE_LOGIC = re.compile(r"(?:&&|\|\|)(?:(?<=['\"]..)|(?<=['\"]\s..))")
_JS_MARKS = (  # (needle, regex or None, how far before the mark a match may start)
    ("this.", None, 0),
    ("db.", None, 0),
    ("date", re.compile(r"new\s+date"), 0),
    ("{", re.compile(r"do\s?\{"), 0),
)
_RETURN = re.compile(r";\s?return")


def _operator(low: str) -> re.Match[str] | None:
    if "$" not in low:
        return None
    f = _OPERATOR_MARK.search(low)
    return None if f is None else _OPERATOR.search(low, max(0, f.start() - 2))


def _js(low: str) -> re.Match[str] | None:
    marks: list[int] = []
    if ";" in low:
        f = _QUOTE_SEPARATOR.search(low)
        if f:
            marks.append(f.start() - 2)
        f = _RETURN.search(low)
        if f:
            marks.append(f.start())
    if "&&" in low or "||" in low:
        f = _QUOTE_LOGIC.search(low)
        if f:
            marks.append(f.start() - 2)
        if "==" in low:  # (?:\|\||&&)\s?['"\w]+\s?===?
            marks.extend(p for p in (low.find("&&"), low.find("||")) if p >= 0)
    for needle, rx, back in _JS_MARKS:
        if needle in low:
            if rx is None:
                marks.append(low.find(needle) - back)
            else:
                f = rx.search(low)
                if f:
                    marks.append(f.start() - back)
    return _JS.search(low, max(0, min(marks))) if marks else None


def detect_views(v: Views) -> Match | None:
    low = v.low
    if not any_in(low, NEEDLES):
        return None
    m = _operator(low)
    if m:
        return hit(v, m.start(), m.end(), "query operator")
    m = _js(low)
    if m:
        return hit(v, m.start(), m.end(), "server-side JavaScript")
    return None


def detect(text: str) -> Match | None:
    """The first NoSQL injection shape in ``text``, or None."""
    return detect_views(views(text))
