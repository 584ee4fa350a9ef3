"""AWS CloudFormation custom resources: ``ResourceProperties`` (and the previous ones on update)
come from the template, which a pipeline may fill from outside input.

``origins`` returns ``StackId``. The answer to CloudFormation goes to the pre-signed
``ResponseURL``, not the function's return value: ``blocked_response`` returns the FAILED response
document, which the wrapper must PUT to ``ResponseURL`` (a custom resource behind the CDK Provider
framework fails by raising instead), so the stack operation fails at once rather than timing out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ID = "cloudformation"
KIND = "sync"
RESPONSE_URL_KEY = "ResponseURL"  # the wrapper PUTs a blocked request's FAILED answer there
ANCHORS = ("RequestType",)  # matches() is False unless the event has this key
UNTRUSTED = ("ResourceProperties.**", "OldResourceProperties.**")
ENCODED: Mapping[str, tuple[str, ...]] = {}


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and event.get("RequestType") in ("Create", "Update", "Delete")
        and isinstance(event.get("ResponseURL"), str)
        and isinstance(event.get("StackId"), str)
    )


def origins(event: Mapping[str, Any]) -> set[str]:
    stack = event.get("StackId")
    return {stack} if isinstance(stack, str) and stack else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    return {
        "Status": "FAILED",
        "Reason": f"Blocked by eventguard (request {request_id})",
        "PhysicalResourceId": event.get("PhysicalResourceId") or event.get("LogicalResourceId", ""),
        "StackId": event.get("StackId", ""),
        "RequestId": event.get("RequestId", ""),
        "LogicalResourceId": event.get("LogicalResourceId", ""),
    }
