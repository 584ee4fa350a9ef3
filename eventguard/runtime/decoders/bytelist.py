"""A byte array sent as a JSON list of integers (Kafka record headers, RabbitMQ header bytes)."""

from __future__ import annotations

from typing import Any

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_DECODED_BYTES


def decode(value: Any) -> str:
    """The bytes as UTF-8 text (invalid sequences replaced); DecodeError unless a list of 0-255."""
    if not isinstance(value, list):
        raise DecodeError("not a byte array")
    if len(value) > MAX_DECODED_BYTES:
        raise LimitExceeded("MAX_DECODED_BYTES", f"byte array of {len(value)} items")
    try:
        return bytes(value).decode("utf-8", "replace")
    except (TypeError, ValueError):
        raise DecodeError("not a byte array") from None
