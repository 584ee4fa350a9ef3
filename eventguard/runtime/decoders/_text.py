"""Coercions shared by the decoders: a decoder accepts text or bytes and says which it returns."""

from __future__ import annotations

from typing import Any

from ..errors import LimitExceeded
from ..limits import MAX_DECODED_BYTES


def bounded_text(value: str | bytes, what: str) -> str:
    """``as_text(value)``, refused (``LimitExceeded``) past ``MAX_DECODED_BYTES`` characters
    before any decoding; ``what`` names the text in the finding ("JSON text")."""
    text = as_text(value)
    if len(text) > MAX_DECODED_BYTES:
        raise LimitExceeded("MAX_DECODED_BYTES", f"{what} of {len(text)} chars")
    return text


def as_text(value: str | bytes) -> str:
    """Bytes as UTF-8 text (invalid sequences replaced, as a receiving app would see them)."""
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    raise TypeError(f"expected text or bytes, got {type(value).__name__}")


def as_bytes(value: str | bytes) -> bytes:
    """Text as UTF-8 bytes; bytes unchanged."""
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    raise TypeError(f"expected text or bytes, got {type(value).__name__}")


def add_value(out: dict[str, Any], name: str, item: Any) -> None:
    """Set ``out[name]``; a name given again maps to the list of its values (a form field, a
    cookie, a header or a JSON key repeated: which copy the application reads depends on its
    parser, so every copy is inspected). Values are never lists themselves."""
    if name not in out:
        out[name] = item
        return
    prior = out[name]
    if isinstance(prior, list):
        prior.append(item)
    else:
        out[name] = [prior, item]
