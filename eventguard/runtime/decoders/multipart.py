"""``multipart/form-data`` bodies: field values, file names and file contents.

The boundary is read from the body's first line (``--boundary``), so the decoder needs no header;
a body whose first line is not a boundary is not multipart. Result: ``{name: value}``, and for a
file part ``{name: {"filename": ..., "content": ...}}``; a name given twice maps to a list.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_MULTIPART_PARTS
from ._text import add_value, bounded_text


@cache
def _param() -> re.Pattern[str]:
    """A header's ``; name=value`` parameter, compiled with the first multipart body (an import
    compiles no pattern of a body most functions never receive)."""
    return re.compile(r";\s*([A-Za-z*]+)\s*=\s*(\"(?:[^\"\\]|\\.)*\"|[^;]*)")


def _params(header: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, raw in _param().findall(header):
        value = raw.strip()
        if value.startswith('"') and value.endswith('"') and len(value) > 1:
            value = value[1:-1].replace('\\"', '"')
        out[key.lower()] = value
    return out


def decode(value: str | bytes) -> dict[str, Any]:
    text = bounded_text(value, "multipart body")
    start = text.lstrip("\r\n")
    first, _, _ = start.partition("\n")
    delimiter = first.rstrip("\r")
    if not delimiter.startswith("--") or len(delimiter) < 3 or " " in delimiter.strip():
        raise DecodeError("not multipart: no boundary line")
    pieces = start.split(delimiter)
    if len(pieces) - 2 > MAX_MULTIPART_PARTS:
        raise LimitExceeded("MAX_MULTIPART_PARTS", f"{len(pieces) - 2} parts")
    out: dict[str, Any] = {}
    for piece in pieces[1:]:
        if piece.startswith("--"):
            break  # the closing delimiter
        part = piece[2:] if piece.startswith("\r\n") else piece.lstrip("\n")
        head, sep, body = part.partition("\r\n\r\n")
        if not sep:
            head, sep, body = part.partition("\n\n")
        if body.endswith("\r\n"):
            body = body[:-2]
        elif body.endswith("\n"):
            body = body[:-1]
        params: dict[str, str] = {}
        for line in head.splitlines():
            if line.lower().startswith("content-disposition:"):
                params = _params(line)
        name = params.get("name", "")
        if "filename" in params or "filename*" in params:
            filename = params.get("filename", params.get("filename*", ""))
            add_value(out, name, {"filename": filename, "content": body})
        else:
            add_value(out, name, body)
    if not out:
        raise DecodeError("multipart body without parts")
    return out
