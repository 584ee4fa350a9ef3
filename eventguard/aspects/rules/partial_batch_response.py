"""A batch event source mapping (SQS, Kinesis, DynamoDB streams) without partial batch
responses: one bad record makes the whole batch fail and be retried."""

from __future__ import annotations

from ..entrypoints import of_resource
from ..model import Resource, Template
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-PartialBatchResponse"
LEVEL = "warning"
INFO = "A batch event source does not report partial batch failures."
EXPLANATION = (
    "eventguard blocks malicious records one by one and reports them in batchItemFailures; "
    "without FunctionResponseTypes [ReportBatchItemFailures] Lambda ignores that list, so a "
    "blocked record either fails the whole batch (retried again and again, blocking the queue "
    "or shard) or is dropped. Set report_batch_item_failures=True on the event source."
)
SUPPORTED = ("sqs", "kinesis", "dynamodb-stream")


def check(resource: Resource, template: Template) -> Result:
    if resource.type != "AWS::Lambda::EventSourceMapping":
        return NOT_APPLICABLE
    points = of_resource(resource)
    if not points or points[0].source_type not in SUPPORTED:
        return NOT_APPLICABLE
    types = resource.prop("FunctionResponseTypes")
    if isinstance(types, list) and "ReportBatchItemFailures" in types:
        return fail()
    related = tuple(p.target.function for p in points if p.target.function is not None)
    return fail(
        Violation(
            "ReportBatchItemFailures",
            f"{resource.path} ({points[0].source_type}) has no FunctionResponseTypes "
            "[ReportBatchItemFailures]",
            related,
        )
    )
