"""An SQS queue that feeds a function without a redrive policy: a message the function keeps
failing on (or a poison message) is retried until it expires."""

from __future__ import annotations

from ..entrypoints import of_resource
from ..model import Resource, Template
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-SourceQueueRedrive"
LEVEL = "warning"
INFO = "The SQS queue feeding a function has no dead-letter queue (redrive policy)."
EXPLANATION = (
    "Without a RedrivePolicy a message that always fails is received again and again until "
    "its retention ends, costing invocations and hiding the failure. Give the queue a "
    "dead_letter_queue=DeadLetterQueue(queue=..., max_receive_count=3)."
)


def check(resource: Resource, template: Template) -> Result:
    if resource.type != "AWS::Lambda::EventSourceMapping":
        return NOT_APPLICABLE
    points = of_resource(resource)
    if not points or points[0].source_type != "sqs":
        return NOT_APPLICABLE
    queue = points[0].origin
    if queue is None or queue.type != "AWS::SQS::Queue":
        return fail(
            Violation(
                "unresolved:queue",
                f"{resource.path}: the source queue is not in this app; "
                "its redrive policy cannot be checked",
            )
        )
    if queue.prop("RedrivePolicy") is not None:
        return fail()
    return fail(
        Violation(
            queue.path,
            f"the queue {queue.path} feeding {resource.path} has no redrive policy",
            (queue,),
        )
    )
