"""Base64 (standard alphabet), validating: a value with other characters is not base64."""

from __future__ import annotations

import base64
import binascii

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_DECODED_BYTES


def decode(text: str) -> bytes:
    if len(text) * 3 // 4 > MAX_DECODED_BYTES:
        raise LimitExceeded("MAX_DECODED_BYTES", f"base64 of {len(text)} chars")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DecodeError(f"invalid base64: {exc}") from None
