"""Events that fail (or are blocked) must go somewhere: an asynchronously invoked function
without an on-failure destination or dead-letter queue, or a stream source without one, loses
them."""

from __future__ import annotations

from ..entrypoints import of_resource, reaching
from ..functions import helper_name
from ..model import Resource, Template
from ..resolve import function_targets
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-AsyncFailureDestination"
LEVEL = "warning"
INFO = "An async or stream event source has no failure destination or dead-letter queue."
EXPLANATION = (
    "Lambda retries an asynchronous event twice and then drops it, and a stream record blocks "
    "its shard until it expires. Give the function a dead-letter queue (dead_letter_queue=) or "
    "an on-failure destination (on_failure=), and stream event sources an on_failure "
    "destination, so nothing is silently lost."
)
ASYNC_SOURCES = (
    "sns",
    "s3",
    "eventbridge",
    "scheduled",
    "iot",
    "ses",
    "cloudwatch-logs",
    "codecommit",
    "config",
)
STREAM_SOURCES = ("kinesis", "dynamodb-stream")


def _functions_with_destination(function: Resource) -> set[int]:
    """Ids of the functions an EventInvokeConfig gives an on-failure destination (cached)."""
    app = function.template.app
    found = app.cache.get("on_failure_functions")
    if found is None:
        found = set()
        for config in app.resources():
            if config.type != "AWS::Lambda::EventInvokeConfig":
                continue
            if config.prop("DestinationConfig", "OnFailure", "Destination") is None:
                continue
            for target in function_targets(config.prop("FunctionName"), config.template):
                if target.function is not None:
                    found.add(id(target.function))
        app.cache["on_failure_functions"] = found
    return found


def _has_failure_destination(function: Resource) -> bool:
    if function.prop("DeadLetterConfig", "TargetArn") is not None:
        return True
    return id(function) in _functions_with_destination(function)


def check(resource: Resource, template: Template) -> Result:
    if resource.type == "AWS::Lambda::EventSourceMapping":
        points = of_resource(resource)
        if not points or points[0].source_type not in STREAM_SOURCES:
            return NOT_APPLICABLE
        if resource.prop("DestinationConfig", "OnFailure", "Destination") is not None:
            return fail()
        return fail(
            Violation(
                "OnFailure",
                f"{resource.path} ({points[0].source_type}) has no on-failure destination",
            )
        )
    if resource.type != "AWS::Lambda::Function" or helper_name(resource):
        return NOT_APPLICABLE
    sources = sorted({p.source_type for p in reaching(resource) if p.source_type in ASYNC_SOURCES})
    if not sources:
        return NOT_APPLICABLE
    if _has_failure_destination(resource):
        return fail()
    return fail(
        Violation(
            "dlq",
            f"{resource.path} is invoked asynchronously ({', '.join(sources)}) and has no "
            "dead-letter queue or on-failure destination",
        )
    )
