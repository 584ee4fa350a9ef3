"""AWS CloudFormation custom resources: ``ResourceProperties`` (and the previous ones on update)
come from the template, which a pipeline may fill from outside input.

``origins`` returns ``StackId``. The answer to CloudFormation goes to the pre-signed
``ResponseURL``, not the function's return value: ``blocked_response`` returns the FAILED response
document, which the wrapper must PUT to ``ResponseURL``, so the stack operation fails at once rather
than timing out. A custom resource behind the CDK Provider framework gets the request without a
usable ``ResponseURL`` (absent, or CDK's ``"..."`` placeholder: the framework answers
CloudFormation itself) and fails by raising: ``blocked_response`` raises ``PermissionError``.
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
    if not (
        isinstance(event, Mapping)
        and event.get("RequestType") in ("Create", "Update", "Delete")
        and isinstance(event.get("StackId"), str)
    ):
        return False
    if isinstance(event.get("ResponseURL"), str):
        return True
    # A provider framework's onEvent request: no ResponseURL, the rest of the request intact.
    return isinstance(event.get("LogicalResourceId"), str) and isinstance(
        event.get("ResourceType"), str
    )


def _answers_itself(event: Mapping[str, Any]) -> bool:
    """No URL to PUT the answer to: a provider framework, which answers CloudFormation."""
    url = event.get(RESPONSE_URL_KEY)
    return not isinstance(url, str) or url in ("", "...")


def origins(event: Mapping[str, Any]) -> set[str]:
    stack = event.get("StackId")
    return {stack} if isinstance(stack, str) and stack else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    if _answers_itself(event):
        raise PermissionError(f"Request blocked by eventguard (request {request_id})")
    return {
        "Status": "FAILED",
        "Reason": f"Blocked by eventguard (request {request_id})",
        "PhysicalResourceId": event.get("PhysicalResourceId") or event.get("LogicalResourceId", ""),
        "StackId": event.get("StackId", ""),
        "RequestId": event.get("RequestId", ""),
        "LogicalResourceId": event.get("LogicalResourceId", ""),
    }
