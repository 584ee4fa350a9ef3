"""An entry point of a type the eventguard runtime has no source module for: its events cannot
be recognized, nor their attacker-controlled fields found."""

from __future__ import annotations

from ..entrypoints import of_resource
from ..functions import helper_name
from ..model import Resource, Template
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-UninspectableEntryPoint"
LEVEL = "error"
INFO = "An entry point delivers events of a type the eventguard runtime cannot inspect."
EXPLANATION = (
    "The runtime inspects the source types registered in eventguard.runtime.sources; an event "
    "of another type would reach the handler uninspected. Use a supported source (for example "
    "put an SQS queue between the service and the function), add a source module to the "
    "runtime, or suppress the finding with the reason the events carry no untrusted data."
)


def inspectable_sources() -> frozenset[str]:
    """The source type ids the runtime registry knows (read at call time: the registry grows)."""
    from ...runtime.sources import BY_ID

    return frozenset(BY_ID)


def check(resource: Resource, template: Template) -> Result:
    points = of_resource(resource)
    if not points:
        return NOT_APPLICABLE
    known = inspectable_sources()
    violations = []
    for point in points:
        function = point.target.function
        if function is not None and helper_name(function) and point.source_type == "cloudformation":
            continue
        if point.source_type not in known:
            violations.append(
                Violation(
                    point.source_type,
                    f"{resource.path} ({point.detail}) delivers {point.source_type!r} events, "
                    f"which the runtime cannot inspect (it knows: {', '.join(sorted(known))})",
                    (function,) if function is not None else (),
                )
            )
    return fail(*violations)
