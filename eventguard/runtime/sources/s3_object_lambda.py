"""Amazon S3 Object Lambda: the caller's request URL (its query string percent-encoded) and
headers.

``origins`` returns ``configuration.accessPointArn`` (the Object Lambda access point). The answer
goes through ``WriteGetObjectResponse``, not the return value: ``blocked_response`` returns
``{"statusCode": 403, "errorCode": "AccessDenied", "requestRoute", "requestToken"}`` for GET
requests, the arguments the wrapper must pass to ``WriteGetObjectResponse``; for HEAD and LIST
requests the return value is the answer, and it is ``{"statusCode": 403}``. The wrapper makes
that call (``awsapi.write_get_object_response``) for a blocked GetObject.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._shape import get, text

ID = "s3-object-lambda"
KIND = "http"
ANCHORS = ("userRequest",)  # matches() is False unless the event has this key
UNTRUSTED = ("userRequest.url", "userRequest.headers.*")
ENCODED: Mapping[str, tuple[str, ...]] = {}
# The wrapper sends a blocked GetObject's answer with WriteGetObjectResponse (the function's role
# needs s3-object-lambda:WriteGetObjectResponse, as the handler itself does).
ANSWERS_THROUGH_WRITE_GET_OBJECT_RESPONSE = True
_CONTEXTS = ("getObjectContext", "headObjectContext", "listObjectsContext", "listObjectsV2Context")


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and any(isinstance(event.get(c), Mapping) for c in _CONTEXTS)
        and isinstance(event.get("userRequest"), Mapping)
    )


def origins(event: Mapping[str, Any]) -> set[str]:
    arn = text(event, "configuration", "accessPointArn")
    return {arn} if arn else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    context = get(event, "getObjectContext")
    if isinstance(context, Mapping):
        return {
            "statusCode": 403,
            "errorCode": "AccessDenied",
            "requestRoute": context.get("outputRoute", ""),
            "requestToken": context.get("outputToken", ""),
        }
    return {"statusCode": 403}


def error_response(event: Mapping[str, Any], status: int, request_id: str) -> dict[str, Any]:
    """The handler failed: the same shape as ``blocked_response`` with ``status``."""
    out = blocked_response(event, None, request_id)
    out["statusCode"] = status
    if "errorCode" in out:
        out["errorCode"] = "InternalError" if status >= 500 else "AccessDenied"
    return out
