"""LDAP injection (CWE-90): a value that closes an LDAP filter and opens another.

What it catches
    LDAP filter syntax in a value meant to be one attribute value: a closing parenthesis or
    wildcard followed by a new filter (``*)(uid=*``, ``admin)(|(password=*)``), boolean
    filter operators (``(|(``, ``(&(``, ``(!(``), presence filters (``(objectClass=*)``),
    dangling closers with a NUL (``*))%00``, ``admin)%00``), and wildcard-only values closing a
    filter (``*)(&``, ``admin*)``). Attributes as RFC 4515 writes them: names or OIDs, options,
    extensible matches (``cn:dn:=``, ``userPassword:2.5.13.18:=``), under nested operators
    (``)(!(&(``).

Why
    An application that builds ``(&(uid=VALUE)(password=...))`` by concatenation lets the value
    rewrite the filter, e.g. ``*)(uid=*))(|(uid=*`` matches every entry. Parentheses around an
    ``attr=value`` pair, or right after a wildcard, are not how people write.

Examples
    ``*)(uid=*))(|(uid=*``, ``admin)(&)``, ``*(|(mail=*))``, ``(password=X*)``.

References
    CWE-90; OWASP LDAP Injection Prevention Cheat Sheet; PayloadsAllTheThings "LDAP Injection".
"""

from __future__ import annotations

import re

from ..model import Match
from ._normalize import Views, any_in, hit, positions, views

ID = "ldapi"
CWE = "CWE-90"

# An attribute description as RFC 4515 writes it: a name or an OID (``2.5.4.3``), options
# (``;binary``), an extensible match (``cn:dn:=``, ``userPassword:2.5.13.18:=``), then the
# operator (``=``, ``~=``, ``>=``, ``<=``, ``:=``).
_ATTR = r"[a-z0-9][\w.;-]{0,64}(?::[\w.]{1,64}){0,2}\s?[~<>:]?="
# Filter operators opened one inside the other: ``(|(``, ``(!(&(``.
_OPENS = r"(?:[|&!]\s?\(?\s?){0,3}"
_PATTERN = re.compile(
    rf"[*)]\s?\(\s?{_OPENS}{_ATTR}"  # *)(uid=  )(|(cn=  )(!(&(1=
    rf"|\(\s?[|&!]\s?\(\s?{_ATTR}"  # (|(mail=
    rf"|\(\s?{_ATTR}\s?\*\s?\)"  # (objectclass=*)  (password=x*)
    rf"|\(\s?{_ATTR}[^()]{{0,64}}\*\s?\)"
    r"|\*\s?\)\s?\(\s?[|&!]?\s?\)?"  # *)(& *)(
    # )(&) (the absolute true filter), )(|(| )(!(&: operators opened on nothing after a close
    r"|\)\s?\(\s?(?:[|&!]\s?\(\s?[|&!]|[|&]\s?(?:\)|$))"
    r"|\*\s?\)\s?\)\s?(?:\x00|%00|$)"  # *))%00
    r"|\)\s?\(\s?[a-z][\w.-]{0,64}\s?=\s?\)?\)"  # )(cn=))
    r"|^\s?\*\s?\(\s?\)?\s?[|&]"  # *()|&
    r"|^[\w.@-]{1,64}\*\s?\)\s?\(\s?[|&!]?"  # admin*)((|
)
# admin)%00: the filter closed, the rest of it cut off by a NUL.
_NUL_CLOSE = re.compile(r"\)\s?\x00")
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = ("*", ")(", ") (", "(|", "(&", "(!", "( |", "( &", "( !", ")\x00", ") \x00")


# ``_PATTERN`` starts with a character class: the regex engine would try it at every character.
# Every alternative but one has a "(" at most 4 characters after its start (or starts the
# text); the other starts with "*". So the pattern is tried only at those places.
MAX_MARKS = 64


def _starts(low: str) -> list[int] | None:
    """Where a match can start, or None when there are too many "(" or "*" to try each."""
    starts = {0}
    for mark, before in (("(", 4), ("*", 0)):
        found = positions(low, mark, MAX_MARKS)
        if found is None:
            return None
        for pos in found:
            starts.update(range(max(0, pos - before), pos + 1))
    return sorted(starts)


def detect_views(v: Views) -> Match | None:
    low = v.low
    # any_in(low, NEEDLES): every needle but "*" and the NUL ones has a "(", found by one
    # character search
    if "*" in low or ("(" in low and any_in(low, NEEDLES[1:9])):
        starts = _starts(low)
        if starts is None:
            m = _PATTERN.search(low)
        else:
            m = next(filter(None, (_PATTERN.match(low, start) for start in starts)), None)
        if m:
            return hit(v, m.start(), m.end(), "LDAP filter syntax")
    if "\x00" in low:
        m = _NUL_CLOSE.search(low)
        if m:
            return hit(v, m.start(), m.end(), "LDAP filter closed before a NUL")
    return None


def detect(text: str) -> Match | None:
    """The first LDAP filter injection shape in ``text``, or None."""
    return detect_views(views(text))
