"""A queue, topic, bucket or event bus policy that lets anyone publish events, when that
resource feeds a function: anyone on the internet then writes the function's input."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..entrypoints import all_entry_points
from ..model import Resource, Template
from ..resolve import resource_of
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-PublicEventSource"
LEVEL = "error"
INFO = (
    "A resource policy lets anyone publish to a queue, topic, bucket or bus that feeds a function."
)
EXPLANATION = (
    "A statement that allows Principal '*' to send, publish or put to an event source, with no "
    "aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:PrincipalOrgID or aws:PrincipalAccount "
    "condition, lets any AWS account write events that reach the function. Grant publishing to "
    "the producers only (topic.grant_publish(role), a service principal with a SourceArn "
    "condition), or add one of those conditions."
)
PUBLISH_ACTIONS = {
    "AWS::SQS::QueuePolicy": ("sqs:sendmessage", "sqs:*", "*"),
    "AWS::SNS::TopicPolicy": ("sns:publish", "sns:*", "*"),
    "AWS::S3::BucketPolicy": ("s3:putobject", "s3:put*", "s3:*", "*"),
    "AWS::Events::EventBusPolicy": ("events:putevents", "events:*", "*"),
    "AWS::Events::EventBus": ("events:putevents", "events:*", "*"),
}
SCOPING_KEYS = (
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourcevpce",
    "aws:sourcevpc",
)
TARGET_PROPS = {
    "AWS::SQS::QueuePolicy": "Queues",
    "AWS::SNS::TopicPolicy": "Topics",
    "AWS::S3::BucketPolicy": "Bucket",
    "AWS::Events::EventBusPolicy": "EventBusName",
}


def _listify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _public_principal(statement: Mapping[str, Any]) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        return any("*" in _listify(v) for v in principal.values())
    return False


def _scoped(statement: Mapping[str, Any]) -> bool:
    condition = statement.get("Condition")
    if not isinstance(condition, Mapping):
        return False
    for clause in condition.values():
        if isinstance(clause, Mapping) and any(str(k).lower() in SCOPING_KEYS for k in clause):
            return True
    return False


def _statements(resource: Resource) -> Iterator[Mapping[str, Any]]:
    if resource.type == "AWS::Events::EventBusPolicy":
        statement = resource.prop("Statement")
        if isinstance(statement, Mapping):
            yield statement
        elif resource.prop("Principal") is not None:
            condition = resource.prop("Condition")
            yield {
                "Effect": "Allow",
                "Principal": resource.prop("Principal"),
                "Action": resource.prop("Action"),
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": 1}} if condition else None,
            }
        return
    document = (
        resource.prop("Policy")
        if resource.type == "AWS::Events::EventBus"
        else resource.prop("PolicyDocument")
    )
    statements = document.get("Statement") if isinstance(document, Mapping) else None
    for statement in _listify(statements):
        if isinstance(statement, Mapping):
            yield statement


def _open_statement(resource: Resource) -> Mapping[str, Any] | None:
    actions = PUBLISH_ACTIONS[resource.type]
    for statement in _statements(resource):
        if (
            statement.get("Effect") != "Allow"
            or not _public_principal(statement)
            or _scoped(statement)
        ):
            continue
        if any(
            isinstance(a, str) and a.lower() in actions for a in _listify(statement.get("Action"))
        ):
            return statement
    return None


def _covered(resource: Resource, template: Template) -> list[Resource | None]:
    if resource.type == "AWS::Events::EventBus":
        return [resource]
    value = resource.prop(TARGET_PROPS[resource.type])
    return [resource_of(v, template) for v in _listify(value)]


def check(resource: Resource, template: Template) -> Result:
    if resource.type not in PUBLISH_ACTIONS:
        return NOT_APPLICABLE
    if _open_statement(resource) is None:
        return fail()
    if resource.type == "AWS::Events::EventBusPolicy" and resource.prop("EventBusName") is None:
        for point in all_entry_points(template.app):
            if (
                point.resource.type == "AWS::Events::Rule"
                and point.resource.prop("EventBusName") is None
            ):
                function = point.target.function
                return fail(
                    Violation(
                        "default",
                        f"{resource.path} lets anyone put events on the default event bus, which "
                        f"invokes {function.path if function else 'a function'} through "
                        f"{point.resource.path}",
                        (function,) if function is not None else (),
                    )
                )
        return fail()
    covered = _covered(resource, template)
    feeding = {id(p.origin): p for p in all_entry_points(template.app) if p.origin is not None}
    violations = []
    for target in covered:
        if target is None:
            violations.append(
                Violation(
                    f"unresolved:{resource.logical_id}",
                    f"{resource.path} lets anyone publish, and the resource it applies to "
                    "cannot be "
                    "resolved, so it may feed a function",
                )
            )
            continue
        feeder = feeding.get(id(target))
        if feeder is not None:
            function = feeder.target.function
            violations.append(
                Violation(
                    target.path,
                    f"{resource.path} lets anyone publish to {target.path}, which invokes "
                    f"{function.path if function else 'a function'} through {feeder.resource.path}",
                    (function,) if function is not None else (),
                )
            )
    return fail(*violations)
