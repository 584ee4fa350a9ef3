"""A ``Cookie`` header or one API Gateway v2 cookie: ``a=1; b=2`` as a mapping, values
percent-decoded (frameworks decode them before the app sees them)."""

from __future__ import annotations

from urllib.parse import unquote

from ..errors import DecodeError
from ._text import add_value, bounded_text


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
