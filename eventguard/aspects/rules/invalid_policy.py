"""A SecureFunction whose EVENTGUARD_POLICY the runtime would refuse: it would fail every event
(closed) or let every event through (open), not what was reviewed."""

from __future__ import annotations

from ..functions import effective_policy, guard
from ..model import Resource, Template
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-InvalidPolicy"
LEVEL = "error"
INFO = "A SecureFunction's EVENTGUARD_POLICY cannot be read by the runtime."
EXPLANATION = (
    "The runtime reads EVENTGUARD_POLICY at cold start and rejects unknown keys and values. "
    "Set the policy through SecureFunction's props, never by editing the environment variable."
)


def check(resource: Resource, template: Template) -> Result:
    if resource.type != "AWS::Lambda::Function" or "EVENTGUARD_POLICY" not in (
        resource.prop("Environment", "Variables") or {}
    ):
        return NOT_APPLICABLE
    doc, error = effective_policy(resource)
    if doc is None:
        return fail(Violation("policy", f"{resource.path}: {error}"))
    if not guard(resource).guarded:
        return fail()  # EventGuard-UnguardedEntryPoint reports the missing parts
    return fail()
