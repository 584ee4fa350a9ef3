"""A function without reserved concurrency: a flood of events on one entry point can take the
whole account's concurrency, and the function can scale without bound."""

from __future__ import annotations

from ..entrypoints import reaching
from ..functions import helper_name
from ..model import Resource, Template
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-ReservedConcurrency"
LEVEL = "warning"
INFO = "A function reached by an entry point has no reserved concurrency."
EXPLANATION = (
    "Without reserved_concurrent_executions a burst of events (or an attacker) can exhaust the "
    "account's concurrency and starve other functions, and runs up cost. Set "
    "reserved_concurrent_executions to the function's expected peak."
)


def check(resource: Resource, template: Template) -> Result:
    if resource.type != "AWS::Lambda::Function" or helper_name(resource):
        return NOT_APPLICABLE
    if not reaching(resource):
        return NOT_APPLICABLE
    if resource.prop("ReservedConcurrentExecutions") is None:
        return fail(Violation("concurrency", f"{resource.path} has no reserved concurrency"))
    return fail()
