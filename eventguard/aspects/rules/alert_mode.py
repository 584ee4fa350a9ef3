"""A SecureFunction in ``alert`` mode: attacks are logged, not blocked."""

from __future__ import annotations

from ..functions import effective_policy
from ..model import Resource, Template
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-AlertMode"
LEVEL = "warning"
INFO = "A SecureFunction runs in alert mode: malicious events reach the handler."
EXPLANATION = (
    "Alert mode is for rolling eventguard out: it logs what block mode would stop, and changes "
    "no behavior. Switch to mode='block' once the alerts are reviewed."
)


def check(resource: Resource, template: Template) -> Result:
    if resource.type != "AWS::Lambda::Function" or "EVENTGUARD_POLICY" not in (
        resource.prop("Environment", "Variables") or {}
    ):
        return NOT_APPLICABLE
    doc, _error = effective_policy(resource)
    if doc is None:
        return NOT_APPLICABLE  # EventGuard-InvalidPolicy reports it
    if doc.get("mode", "block") == "alert":
        return fail(
            Violation("alert", f"{resource.path} is in alert mode: attacks are not blocked")
        )
    return fail()
