"""Amazon S3 event notifications: the object key is chosen by whoever uploads, and arrives
URL-encoded with ``+`` for a space (``Records[0].s3.object.key<url>``).

``origins`` returns the bucket NAMES (``s3.bucket.name``), which the S3 trigger writes as its id.
Async: no response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._shape import record_list, record_source, text

ID = "s3"
KIND = "async"
ANCHORS = ("Records",)  # matches() is False unless the event has this key
UNTRUSTED = ("Records[*].s3.object.key", "Records[*].s3.object.versionId")
ENCODED: Mapping[str, tuple[str, ...]] = {"Records[*].s3.object.key": ("url",)}


def matches(event: Any) -> bool:
    return record_source(event) == "aws:s3"


def origins(event: Mapping[str, Any]) -> set[str]:
    names = {text(r, "s3", "bucket", "name") for r in record_list(event, "Records")}
    return {n for n in names if n}


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
