"""JSON carried inside a string (SQS bodies, SNS messages, API bodies), bounded in size."""

from __future__ import annotations

import json
from typing import Any

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_DECODED_BYTES


def decode(text: str) -> Any:
    if len(text) > MAX_DECODED_BYTES:
        raise LimitExceeded("MAX_DECODED_BYTES", f"JSON text of {len(text)} chars")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise DecodeError(f"not JSON: {exc.__class__.__name__}") from None
