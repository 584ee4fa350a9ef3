"""Backslash and percent-u escapes: ``\\u003c``, ``\\U0001F600``, ``\\x3c``, ``%u003c``.

Attackers write them to slip ``<`` or ``'`` past a filter that a later JSON or JavaScript parser
turns back into the character. Decoding is one linear ``re.sub``.
"""

from __future__ import annotations

import re

from ..errors import DecodeError
from ._text import bounded_text

_ESCAPE = re.compile(
    r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\x([0-9A-Fa-f]{2})|%u([0-9A-Fa-f]{4})"
)


def looks_encoded(text: str) -> bool:
    """Has at least one escape."""
    return ("\\" in text or "%u" in text) and _ESCAPE.search(text) is not None


def _char(match: re.Match[str]) -> str:
    code = int(next(g for g in match.groups() if g is not None), 16)
    if code > 0x10FFFF:
        return "\ufffd"
    return chr(code)


def decode(value: str | bytes) -> str:
    text = bounded_text(value, "escaped text")
    decoded = _ESCAPE.sub(_char, text)
    if decoded == text:
        raise DecodeError("no escape")
    return decoded
