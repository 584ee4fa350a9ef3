"""JSON inside a string (SQS bodies, SNS messages, API bodies), bounded in size and depth."""

from __future__ import annotations

import json
from typing import Any

from ..errors import DecodeError, LimitExceeded
from ..limits import MAX_DECODED_BYTES
from ._text import as_text


def decode(value: str | bytes) -> Any:
    """The parsed value; DecodeError when the text is not JSON, LimitExceeded when too big/deep."""
    text = as_text(value)
    if len(text) > MAX_DECODED_BYTES:
        raise LimitExceeded("MAX_DECODED_BYTES", f"JSON text of {len(text)} chars")
    try:
        return json.loads(text)
    except RecursionError:
        raise LimitExceeded("MAX_NESTING_DEPTH", "JSON text nested too deep") from None
    except ValueError as exc:
        raise DecodeError(f"not JSON: {exc.__class__.__name__}") from None


def looks_like(text: str) -> bool:
    """Starts and ends like an object or an array."""
    stripped = text.strip()
    return len(stripped) > 1 and (
        (stripped[0] == "{" and stripped[-1] == "}") or (stripped[0] == "[" and stripped[-1] == "]")
    )
