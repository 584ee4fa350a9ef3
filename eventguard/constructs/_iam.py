"""Least privilege for a SecureFunction: its own role, scoped grants, and the named exceptions.

The role carries no AWS managed policy (not even AWSLambdaBasicExecutionRole): log writes are
granted on the function's own log group only, quarantine sends on its own queue only. A
``Resource: "*"`` is allowed only for actions whose AWS API has no resource scope, each one
listed in ``WILDCARD_EXCEPTIONS`` with its reason; a synth-time check fails the app when any other
action is granted on ``*``, which is what makes the cdk-nag IAM5 acknowledgement below honest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import jsii
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct, IValidation

# Actions that AWS can only grant on "*": the API has no resource-level permission.
WILDCARD_EXCEPTIONS: Mapping[str, str] = {
    # Active tracing (always on): X-Ray segment uploads have no resource scope.
    "xray:PutTraceSegments": "X-Ray trace upload (active tracing) has no resource scope",
    "xray:PutTelemetryRecords": "X-Ray telemetry (active tracing) has no resource scope",
    # DynamoDB stream triggers: DynamoEventSource lists streams, an API with no resource scope.
    "dynamodb:ListStreams": "DynamoDB ListStreams (stream trigger) has no resource scope",
    # DocumentDB triggers: the event source mapping looks up the cluster's network, which the
    # EC2 Describe APIs cannot scope.
    "ec2:DescribeNetworkInterfaces": "EC2 DescribeNetworkInterfaces (DocumentDB trigger) has "
    "no resource scope",
    "ec2:DescribeVpcs": "EC2 DescribeVpcs (DocumentDB trigger) has no resource scope",
    "ec2:DescribeSubnets": "EC2 DescribeSubnets (DocumentDB trigger) has no resource scope",
    "ec2:DescribeSecurityGroups": "EC2 DescribeSecurityGroups (DocumentDB trigger) has no "
    "resource scope",
}


def function_role(scope: Construct, id: str, path: str) -> iam.Role:
    """A role Lambda can assume, with no policy yet: every permission is added scoped."""
    return iam.Role(
        scope,
        id,
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=f"eventguard SecureFunction {path}: least privilege, no managed policies",
    )


def grant_logs(role: iam.IRole, log_group: logs.ILogGroup) -> None:
    """Log stream creation and writes on the function's own log group, nothing else."""
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[log_group.log_group_arn],
        )
    )


def grant_quarantine(role: iam.IRole, queue: sqs.IQueue) -> None:
    """Only ``sqs:SendMessage``, only on the function's quarantine queue."""
    queue.grant(role, "sqs:SendMessage")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def wildcard_violations(statements: Iterable[Mapping[str, Any]]) -> list[str]:
    """Actions granted on ``Resource: "*"`` that are not named exceptions."""
    bad: list[str] = []
    for statement in statements:
        if statement.get("Effect", "Allow") != "Allow":
            continue
        if "*" not in _as_list(statement.get("Resource", [])):
            continue
        bad.extend(a for a in _as_list(statement.get("Action", [])) if a not in WILDCARD_EXCEPTIONS)
    return bad


@jsii.implements(IValidation)
class WildcardGuard:
    """Fails synth when the role grants an action on ``*`` that is not a named exception."""

    def __init__(self, role: iam.Role, path: str) -> None:
        self._role = role
        self._path = path

    def validate(self) -> list[str]:
        stack = Stack.of(self._role)
        statements: list[Mapping[str, Any]] = []
        for child in self._role.node.find_all():
            if isinstance(child, iam.Policy):
                document = stack.resolve(child.document)
                statements.extend(document.get("Statement", []) if document else [])
        bad = wildcard_violations(statements)
        if not bad:
            return []
        return [
            f"{self._path}: the role grants {', '.join(sorted(set(bad)))} on Resource '*'; grant "
            "it on the resource's ARN instead (only "
            f"{', '.join(WILDCARD_EXCEPTIONS)} may use '*', having no resource scope)"
        ]


def acknowledge_exceptions(role: iam.Role) -> None:
    """Tell cdk-nag (AwsSolutions-IAM5) that the ``*`` on this role are the named exceptions."""
    from cdk_nag import NagPackSuppression, NagSuppressions

    reason = "; ".join(f"{a}: {why}" for a, why in WILDCARD_EXCEPTIONS.items())
    NagSuppressions.add_resource_suppressions(
        role,
        [
            NagPackSuppression(
                id="AwsSolutions-IAM5",
                reason=f"eventguard checks at synth that '*' is only used for: {reason}",
                applies_to=["Resource::*"],
            )
        ],
        apply_to_children=True,
    )


def acknowledge_named_wildcards(role: iam.IRole, patterns: Iterable[str], reason: str) -> None:
    """Tell cdk-nag (AwsSolutions-IAM5) that wildcards inside ARNs of one account and region
    (``...:rds:REGION:ACCOUNT:cluster-pg:*``) are deliberate: a trigger grants them because the
    resource it needs cannot be named at synth. ``patterns`` match cdk-nag's finding ids
    (``Resource::arn:<AWS::Partition>:...``)."""
    from cdk_nag import NagPackSuppression, NagSuppressions, RegexAppliesTo

    NagSuppressions.add_resource_suppressions(
        role,
        [
            NagPackSuppression(
                id="AwsSolutions-IAM5",
                reason=reason,
                applies_to=[RegexAppliesTo(regex=f"/^Resource::{p}$/g") for p in patterns],
            )
        ],
        apply_to_children=True,
    )
