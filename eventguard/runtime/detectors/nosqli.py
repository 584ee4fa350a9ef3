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


def detect_views(v: Views) -> Match | None:
    low = v.low
    if not any_in(low, NEEDLES):
        return None
    for rx, detail in ((_OPERATOR, "query operator"), (_JS, "server-side JavaScript")):
        m = rx.search(low)
        if m:
            return hit(v, m.start(), m.end(), detail)
    return None


def detect(text: str) -> Match | None:
    """The first NoSQL injection shape in ``text``, or None."""
    return detect_views(views(text))
