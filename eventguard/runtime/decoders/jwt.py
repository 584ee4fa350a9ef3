"""JSON Web Tokens (``Authorization: Bearer eyJ...``, id tokens in cookies): the header and the
claims, which an application often reads (and logs, or queries with) before or without
verifying the signature. The signature is not decoded; nothing is verified here.
"""

from __future__ import annotations

from typing import Any

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_DECODED_BYTES
from . import b64, jsontext
from ._text import as_text


def looks_like(text: str) -> bool:
    """``eyJ`` (base64url of ``{"``) at the start, after an optional ``Bearer ``, and two dots."""
    start = text.find("eyJ")
    return 0 <= start <= 7 and text.count(".") == 2


def decode(value: str | bytes) -> dict[str, Any]:
    """``{"header": {...}, "payload": {...}}``; DecodeError unless both segments are JSON."""
    text = as_text(value).strip()
    if len(text) > MAX_DECODED_BYTES:
        raise LimitExceeded("MAX_DECODED_BYTES", f"JWT of {len(text)} chars")
    if text[:7].lower() == "bearer ":
        text = text[7:].strip()
    parts = text.split(".")
    if len(parts) != 3:
        raise DecodeError("not a JWT: expected three segments")
    header = jsontext.decode(b64.decode_url(parts[0]))
    payload = jsontext.decode(b64.decode_url(parts[1]))
    if not isinstance(header, dict):
        raise DecodeError("not a JWT: header is not an object")
    return {"header": header, "payload": payload}
