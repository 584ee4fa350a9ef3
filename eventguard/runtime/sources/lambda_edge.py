"""Lambda@Edge (CloudFront): the viewer's URI, query string, method and headers (viewer- and
origin-request events; response events carry the request too).

``origins`` returns the CloudFront ``distributionId``. A blocked request answers a generated 403
response (no origin fetch), never echoing the request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._shape import first_record, record_list, text

ID = "lambda-edge"
KIND = "http"
ANCHORS = ("Records",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "Records[*].cf.request.uri",
    "Records[*].cf.request.querystring",
    "Records[*].cf.request.method",
    "Records[*].cf.request.headers.*[*].value",
    "Records[*].cf.request.body.data",
)
ENCODED: Mapping[str, tuple[str, ...]] = {"Records[*].cf.request.querystring": ("form",)}


def matches(event: Any) -> bool:
    record = first_record(event)
    return record is not None and isinstance(record.get("cf"), Mapping)


def origins(event: Mapping[str, Any]) -> set[str]:
    ids = {text(r, "cf", "config", "distributionId") for r in record_list(event, "Records")}
    return {i for i in ids if i}


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    return error_response(event, 403, request_id)


def error_response(event: Mapping[str, Any], status: int, request_id: str) -> dict[str, Any]:
    """A generated CloudFront response; no origin fetch, nothing of the request echoed."""
    reason = "Forbidden" if status == 403 else "Internal Server Error" if status >= 500 else "Error"
    return {
        "status": str(status),
        "statusDescription": reason,
        "headers": {"content-type": [{"key": "Content-Type", "value": "application/json"}]},
        "body": json.dumps({"message": reason, "requestId": request_id}),
    }
