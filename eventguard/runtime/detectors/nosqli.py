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
from ._vocab import NOSQLI_OPS as _OPS

ID = "nosqli"
CWE = "CWE-943"

_OPERATOR = re.compile(
    rf"[\"'{{,\[]\s?\${_OPS}\b\s?[\"'\]]?\s?[:=\]]"  # {"$gt": , [$ne]= , , $where:
    rf"|^\s?\${_OPS}\s?(?:$|:)"  # the key on its own
    rf"|\[\s?\${_OPS}\s?\]"
)
_JS_ALTERNATIVES = (
    r"['\"]\s?(?:;|&&|\|\|)\s?(?:sleep\s?\(\s?\d|this\.\w+|return\b|while\s?\(|it\s?=\s?new\s+date"
    r"|db\.\w+|var\s|function\s?\()",
    r";\s?return\s+(?:true|false|1|this\b)",
    r"(?:\|\||&&)\s?['\"\w]+\s?===?\s?['\"\w]+",
    r"\bthis\.\w+\.match\s?\(",
    r"\bdb\.\w+\.(?:find|findone|insert|update|remove|drop|aggregate)\w*\s?\(",
    r"\bnew\s+date\s?\(\s?\)\s?;\s?\}?\s?while\s?\(",
    r"\bdo\s?\{[^}]{0,64}new\s+date",
)
_JS = re.compile("|".join(_JS_ALTERNATIVES))
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = ("$", "this.", "db.", "return", "==", "date", "sleep", "while", "var ", "function")

# Both patterns start with a character class or a word boundary: the regex engine would try
# them at every character. Instead each alternative is looked for on its own from a mark that a
# C search finds (a literal first, a "$" operator, a ";" or "&&" after a quote); the leftmost of
# their matches is where the whole pattern matches first.
MAX_MARKS = 32
_OPERATOR_MARK = re.compile(rf"\${_OPS}")  # the "$" of a match is at most 2 characters in
_QUOTE_SEPARATOR = re.compile(r";(?:(?<=['\"];)|(?<=['\"]\s;))")
_QUOTE_LOGIC = re.compile(r"(?:&&|\|\|)(?:(?<=['\"]..)|(?<=['\"]\s..))")
_QUOTE_JS = re.compile(_JS_ALTERNATIVES[0])
_RETURN_JS = re.compile(_JS_ALTERNATIVES[1])
_EQUALS_JS = tuple(
    (op, re.compile(re.escape(op) + _JS_ALTERNATIVES[2].removeprefix(r"(?:\|\||&&)")))
    for op in ("||", "&&")
)
# The others start with ``\bword``: the same as ``word(?<!\wword)``, which starts with a literal.
_WORD_JS = tuple(
    (needle, re.compile(f"{word}(?<!\\w{word})" + alternative.removeprefix(rf"\b{word}")))
    for needle, word, alternative in (
        ("this.", "this", _JS_ALTERNATIVES[3]),
        ("db.", "db", _JS_ALTERNATIVES[4]),
        ("date", "new", _JS_ALTERNATIVES[5]),
        ("{", "do", _JS_ALTERNATIVES[6]),
    )
)


def _operator(low: str) -> re.Match[str] | None:
    """``_OPERATOR.search(low)``, tried only up to 2 characters before each "$" operator."""
    if "$" not in low:
        return None
    end = 0
    for count, f in enumerate(_OPERATOR_MARK.finditer(low)):
        if count >= MAX_MARKS:  # too many to try one by one: the plain scan from here
            return _OPERATOR.search(low, end)
        for start in range(max(end, f.start() - 2), f.start() + 1):
            m = _OPERATOR.match(low, start)
            if m:
                return m
        end = f.start() + 1
    return None


def _quote_js(low: str, marks: re.Pattern[str]) -> int:
    """The start of the first match of ``_QUOTE_JS`` whose separator ``marks`` finds, or -1."""
    end = 0
    for count, f in enumerate(marks.finditer(low)):
        if count >= MAX_MARKS:
            m = _QUOTE_JS.search(low, end)
            return m.start() if m else -1
        for start in range(max(end, f.start() - 2), f.start()):  # the quote, maybe a space
            if _QUOTE_JS.match(low, start):
                return start
        end = f.start()
    return -1


def _js(low: str) -> re.Match[str] | None:
    """``_JS.search(low)``: the whole pattern matched where the leftmost alternative starts."""
    starts = []
    if ";" in low:
        starts.append(_quote_js(low, _QUOTE_SEPARATOR))
        m = _RETURN_JS.search(low)
        if m:
            starts.append(m.start())
    if "&&" in low or "||" in low:
        starts.append(_quote_js(low, _QUOTE_LOGIC))
        if "==" in low:
            for op, rx in _EQUALS_JS:
                m = rx.search(low) if op in low else None
                if m:
                    starts.append(m.start())
    for needle, rx in _WORD_JS:
        m = rx.search(low) if needle in low else None
        if m:
            starts.append(m.start())
    starts = [start for start in starts if start >= 0]
    return _JS.match(low, min(starts)) if starts else None


_WORD_NEEDLES = tuple(n for n in NEEDLES if n not in ("$", "==", "this.", "db."))


def _interesting(low: str) -> bool:
    """``any_in(low, NEEDLES)``, with one character search before the needles "==" and "."."""
    return (
        "$" in low
        or ("=" in low and "==" in low)
        or ("." in low and ("this." in low or "db." in low))
        or any_in(low, _WORD_NEEDLES)
    )


def detect_views(v: Views) -> Match | None:
    low = v.low
    if not _interesting(low):
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
