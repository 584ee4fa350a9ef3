"""A ``Cookie`` header or one API Gateway v2 cookie: ``a=1; b=2`` as a mapping, values
percent-decoded (frameworks decode them before the app sees them)."""

from __future__ import annotations

from urllib.parse import unquote

from ..errors import DecodeError
from ..limits import MAX_DECODED_BYTES
from ._text import add_value, bounded_text


def futile(value: object) -> bool:
    """True when ``decode`` can only raise DecodeError: text with no ``=`` has no cookie."""
    return type(value) is str and "=" not in value and len(value) <= MAX_DECODED_BYTES


def decode(value: str | bytes) -> dict[str, str | list[str]]:
    text = bounded_text(value, "cookie")
    out: dict[str, str | list[str]] = {}
    for pair in text.split(";"):
        name, sep, raw = pair.strip().partition("=")
        if not sep:
            continue
        item = unquote(raw.strip().strip('"'), errors="replace")
        add_value(out, name, item)
    if not out:
        raise DecodeError("no name=value cookie")
    return out
