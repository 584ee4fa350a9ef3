"""HTML character references (``&lt;``, ``&#60;``, ``&#x3c;``): payloads hidden from filters
that look for ``<script`` but rendered by a browser as markup.

A name followed by ``=`` is a URL's or a form's parameter (``?a=1&para=2``), not a reference:
HTML5 itself leaves ``&para=`` alone in an attribute value, and reading it as ``¶=`` would
only mangle every query string that has a parameter named like an entity."""

from __future__ import annotations

import re

from ..errors import DecodeError
from ._text import bounded_text

_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31}+(?!=));?")
_PARAMETER = re.compile(r"&(?=[A-Za-z][A-Za-z0-9]*=)")
_KEPT = "\ue000"  # a private-use character stands for a parameter's "&" while decoding


def looks_encoded(text: str) -> bool:
    """Has a character reference."""
    return "&" in text and _REFERENCE.search(text) is not None


def decode(value: str | bytes) -> str:
    text = bounded_text(value, "HTML text")
    import html  # first use: html.entities (its 2,000 names) is not loaded with the wrapper

    if _KEPT not in text and _PARAMETER.search(text):
        decoded = html.unescape(_PARAMETER.sub(_KEPT, text)).replace(_KEPT, "&")
    else:
        decoded = html.unescape(text)
    if decoded == text:
        raise DecodeError("no HTML character reference")
    return decoded
