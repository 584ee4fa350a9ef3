"""JSON inside a string (SQS bodies, SNS messages, API bodies), bounded in size and depth."""

from __future__ import annotations

import json
from typing import Any

from ..errors import DecodeError, LimitExceeded
from ._text import bounded_text


def decode(value: str | bytes) -> Any:
    """The parsed value; DecodeError when the text is not JSON, LimitExceeded when too big/deep."""
    text = bounded_text(value, "JSON text")
    try:
        if text.startswith("\ufeff"):  # refused, as json.loads refuses it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        return _DECODER.decode(text)
    except RecursionError:
        raise LimitExceeded("MAX_NESTING_DEPTH", "JSON text nested too deep") from None
    except ValueError as exc:
        raise DecodeError(f"not JSON: {exc.__class__.__name__}") from None


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key given twice keeps all its values as a list (Python keeps the last,
    other parsers the first: an attack must not hide behind its own duplicate)."""
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    grouped: dict[str, list[Any]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return {key: values[0] if len(values) == 1 else values for key, values in grouped.items()}


# One decoder for every call, as json.loads keeps one for its defaults: given a hook, json.loads
# builds a new decoder (and its scanner) each time, which cost more than parsing a short body.
_DECODER = json.JSONDecoder(object_pairs_hook=_object)


def looks_like(text: str) -> bool:
    """Starts and ends like an object or an array."""
    stripped = text.strip()
    return len(stripped) > 1 and (
        (stripped[0] == "{" and stripped[-1] == "}") or (stripped[0] == "[" and stripped[-1] == "]")
    )
