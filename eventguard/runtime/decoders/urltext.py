"""Percent-encoding (``url``) and ``application/x-www-form-urlencoded`` bodies (``form``).

``url`` is form-style: ``+`` is a space, as in S3 object keys and query strings. ``form`` splits
``a=1&b=2`` into a mapping whose names are inspected too; a name given twice maps to a list.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_DECODED_BYTES, MAX_FIELDS
from ._text import add_value, bounded_text

_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def looks_encoded(text: str) -> bool:
    """Has at least one ``%XX`` escape."""
    return "%" in text and _ESCAPE.search(text) is not None


def futile(value: object) -> bool:
    """True when ``decode`` can only raise DecodeError: text with no ``%`` and no ``+`` (most
    S3 keys) decodes to itself. Lets extraction skip the call and its exception."""
    return (
        type(value) is str
        and "%" not in value
        and "+" not in value
        and len(value) <= MAX_DECODED_BYTES
    )


def decode(value: str | bytes) -> str:
    """Percent-decoded text (``+`` as space); DecodeError when nothing changes."""
    text = bounded_text(value, "URL-encoded text")
    decoded = unquote_plus(text, errors="replace")
    if decoded == text:
        raise DecodeError("not URL-encoded")
    return decoded


def decode_form(value: str | bytes) -> dict[str, str | list[str]]:
    """``name=value&...`` as a mapping; names and values percent-decoded."""
    text = bounded_text(value, "form body")
    if text.count("&") + text.count(";") > MAX_FIELDS:
        raise LimitExceeded("MAX_FIELDS", "form body with too many pairs")
    out: dict[str, str | list[str]] = {}
    for pair in text.split("&"):
        if not pair:
            continue
        name, _, raw = pair.partition("=")
        key = unquote_plus(name, errors="replace")
        item = unquote_plus(raw, errors="replace")
        add_value(out, key, item)
    if not out:
        raise DecodeError("empty form")
    return out
