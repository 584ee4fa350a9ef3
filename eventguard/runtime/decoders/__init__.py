"""Decoders: one module per encoding, registered in ``DECODERS``; strict and bounded.

A decoder is ``decode(text: str) -> str | bytes | object`` and raises ``DecodeError`` when the
value does not have the encoding, or ``LimitExceeded`` before it would pass a limit. ``sniff``
names the decoders worth trying on a value whose encoding nobody declared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import b64, jsontext

DECODERS: Mapping[str, Callable[[str], Any]] = {
    "base64": b64.decode,
    "json": jsontext.decode,
}


def sniff(text: str) -> tuple[str, ...]:
    """Decoders that a value's first characters suggest; cheap, so it runs on every string."""
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        return ("json",)
    return ()
