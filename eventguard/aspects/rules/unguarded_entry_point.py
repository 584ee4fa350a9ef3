"""An entry point reaches a Lambda function that is not a SecureFunction, or one that cannot be
told: the event arrives in the function with nobody inspecting it."""

from __future__ import annotations

from ..entrypoints import of_resource
from ..functions import guard, helper_name
from ..model import Resource, Template
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-UnguardedEntryPoint"
LEVEL = "error"
INFO = "An entry point reaches a Lambda function that is not an eventguard SecureFunction."
EXPLANATION = (
    "Every event source that invokes a function must be inspected by the eventguard runtime "
    "before the handler sees the event. Build the function with "
    "eventguard.constructs.SecureFunction instead of aws_lambda.Function (same props), or "
    "remove the trigger. When the function cannot be resolved from the template (an ARN of "
    "another app, a parameter), reference the function itself, or suppress the finding on the "
    "entry point with the reason it is safe."
)


def check(resource: Resource, template: Template) -> Result:
    points = of_resource(resource)
    if not points:
        return NOT_APPLICABLE
    violations = []
    for point in points:
        target = point.target
        where = f"{point.source_type} entry point {resource.path} ({point.detail})"
        if target.function is None:
            violations.append(
                Violation(
                    f"unresolved:{resource.logical_id}",
                    f"cannot tell which function the {where} reaches: {target.unresolved}",
                )
            )
            continue
        function = target.function
        if helper_name(function) and point.source_type == "cloudformation":
            continue
        state = guard(function)
        if not state.guarded:
            violations.append(
                Violation(
                    function.path,
                    f"the {where} reaches {function.path}, which is not a SecureFunction "
                    f"(missing: {', '.join(state.missing)})",
                    (function,),
                )
            )
    return fail(*violations)
