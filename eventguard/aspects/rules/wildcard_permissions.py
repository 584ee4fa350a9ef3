"""A policy attached to a function's role allows every action of a service (``*``, ``s3:*``) or
every resource (``*``), in inline role policies, ``AWS::IAM::Policy`` resources made by CDK
grants, customer managed policies, or AWS managed policies."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..functions import helper_name
from ..model import Resource, Template
from ..resolve import render, resource_of
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-WildcardPermissions"
LEVEL = "error"
INFO = "A policy on a function's role allows a wildcard action or a wildcard resource."
EXPLANATION = (
    "A function that an event can reach must hold only the permissions it needs: an injected "
    "event then cannot make it act on other resources. Grant on the resources themselves "
    "(queue.grant_send_messages(fn), table.grant_read_data(fn)), list the actions, and drop AWS "
    "managed policies. Actions that have no resource scope in IAM are named exceptions: "
    + ", ".join(sorted(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]))
    + " and the others in UNSCOPED_ACTIONS."
)
# IAM actions that support no resource-level permission: Resource "*" is the only choice.
UNSCOPED_ACTIONS = frozenset(
    a.lower()
    for a in (
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "xray:GetSamplingStatisticSummaries",
        "cloudwatch:PutMetricData",
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeVpcs",
        "sts:GetCallerIdentity",
        "dynamodb:ListStreams",  # added by CDK's DynamoEventSource
        "kinesis:ListStreams",
        "kafka:ListClusters",
        "kafka:ListClustersV2",
        "kms:ListAliases",
        "sqs:ListQueues",
    )
)
# what AWS managed policies grant that the rule forbids (their documents are not in the template)
MANAGED_POLICIES: Mapping[str, str] = {
    "AWSLambdaBasicExecutionRole": (
        "logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents on *"
    ),
    "AWSLambdaSQSQueueExecutionRole": "sqs:ReceiveMessage, sqs:DeleteMessage on *",
    "AWSLambdaKinesisExecutionRole": "kinesis:GetRecords... on *",
    "AWSLambdaDynamoDBExecutionRole": "dynamodb:GetRecords... on *",
    "AWSLambdaMSKExecutionRole": "kafka:DescribeCluster... on *",
}
# managed policies that grant only unscoped actions
MANAGED_OK = frozenset({"AWSXRayDaemonWriteAccess", "AWSLambdaVPCAccessExecutionRole"})


def _listify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _attached(template: Template) -> dict[int, list[Resource]]:
    """Role (by id) -> the AWS::IAM::Policy and ManagedPolicy resources attached to it (cached)."""
    app = template.app
    index = app.cache.get("policies_by_role")
    if index is None:
        index = {}
        for resource in app.resources():
            if resource.type not in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
                continue
            for ref in _listify(resource.prop("Roles")):
                role = resource_of(ref, resource.template) if ref is not None else None
                if role is not None:
                    index.setdefault(id(role), []).append(resource)
        app.cache["policies_by_role"] = index
    return index


def _documents(role: Resource, template: Template) -> Iterator[tuple[str, Any]]:
    for policy in _listify(role.prop("Policies")):
        if isinstance(policy, Mapping):
            name = policy.get("PolicyName", "")
            yield f"{role.path} inline policy {name}", policy.get("PolicyDocument")
    for resource in _attached(template).get(id(role), []):
        yield resource.path, resource.prop("PolicyDocument")


def _statement_problems(where: str, document: Any) -> Iterator[str]:
    statements = document.get("Statement") if isinstance(document, Mapping) else None
    for statement in _listify(statements):
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        if "NotAction" in statement or "NotResource" in statement:
            yield f"{where}: an Allow with NotAction/NotResource"
            continue
        actions = [a for a in _listify(statement.get("Action")) if isinstance(a, str)]
        wild = [a for a in actions if a == "*" or a.endswith(":*")]
        if wild:
            yield f"{where}: wildcard action {', '.join(wild)}"
        resources = _listify(statement.get("Resource"))
        if "*" in resources:
            scoped = [a for a in actions if a.lower() not in UNSCOPED_ACTIONS]
            if scoped:
                yield f"{where}: Resource '*' for {', '.join(scoped[:6])}"


def check(resource: Resource, template: Template) -> Result:
    if resource.type != "AWS::Lambda::Function" or helper_name(resource):
        return NOT_APPLICABLE
    role_value = resource.prop("Role")
    role = resource_of(role_value, template)
    if role is None or role.type != "AWS::IAM::Role":
        return fail(
            Violation(
                "unresolved:role",
                f"the role of {resource.path} ({render(role_value, template) or role_value!r}) is "
                "not in this app: its policies cannot be checked",
            )
        )
    problems: list[str] = []
    for where, document in _documents(role, template):
        problems.extend(_statement_problems(where, document))
    for arn in _listify(role.prop("ManagedPolicyArns")):
        if arn is None:
            continue
        managed = resource_of(arn, role.template)
        if managed is not None and managed.type == "AWS::IAM::ManagedPolicy":
            problems.extend(_statement_problems(managed.path, managed.prop("PolicyDocument")))
            continue
        text = render(arn, role.template) or ""
        name = text.rsplit("/", 1)[-1]
        if ":iam::aws:policy/" in text and name in MANAGED_OK:
            continue
        grants = MANAGED_POLICIES.get(name, "unknown contents")
        problems.append(f"{role.path}: managed policy {name or arn!r} ({grants})")
    return fail(*(Violation(p.split(": ", 1)[-1], f"{resource.path}: {p}") for p in problems))
