"""A byte array sent as a JSON list of integers (Kafka record headers, RabbitMQ header bytes).

Java producers write signed bytes (-128..127): they are taken modulo 256, as the JVM would.
"""

from __future__ import annotations

from typing import Any

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_DECODED_BYTES


def decode(value: Any) -> str:
    """The bytes as UTF-8 text (invalid sequences replaced); DecodeError unless a list of bytes."""
    if not isinstance(value, list):
        raise DecodeError("not a byte array")
    if len(value) > MAX_DECODED_BYTES:
        raise LimitExceeded("MAX_DECODED_BYTES", f"byte array of {len(value)} items")
    if not all(isinstance(b, int) and not isinstance(b, bool) and -128 <= b <= 255 for b in value):
        raise DecodeError("not a byte array")
    return bytes(b & 0xFF for b in value).decode("utf-8", "replace")
