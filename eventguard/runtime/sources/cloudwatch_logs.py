"""CloudWatch Logs subscription filter: ``awslogs.data`` is base64 of gzip of JSON whose
``logEvents[*].message`` are log lines, which often quote what outsiders sent.

Decoded ``awslogs.data<base64><gzip><json>``; every string of the document is inspected.
``origins`` returns the log group NAME (``logGroup``), read by decoding the data within the same
limits as extraction (an undecodable payload has no origin and is caught by extraction).
Async: no response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import EventguardError
from ._shape import text

ID = "cloudwatch-logs"
KIND = "async"
ANCHORS = ("awslogs",)  # matches() is False unless the event has this key
UNTRUSTED = ("awslogs.data",)
ENCODED: Mapping[str, tuple[str, ...]] = {"awslogs.data": ("base64", "gzip", "json")}


def matches(event: Any) -> bool:
    return bool(text(event, "awslogs", "data"))


def origins(event: Mapping[str, Any]) -> set[str]:
    from ..decoders import b64, inflate, jsontext

    try:
        doc = jsontext.decode(inflate.decode(b64.decode(text(event, "awslogs", "data"))))
    except EventguardError:
        return set()
    group = doc.get("logGroup") if isinstance(doc, Mapping) else None
    return {group} if isinstance(group, str) and group else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
