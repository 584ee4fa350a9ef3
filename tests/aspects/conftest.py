"""Small template builders for the audit rule tests (plain dicts, no aws_cdk)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from eventguard.aspects.model import Assembly

LAYER = {
    "Type": "AWS::Lambda::LayerVersion",
    "Properties": {
        "Description": "eventguard runtime 0.1.0",
        "Content": {"S3Bucket": "b", "S3Key": "k"},
    },
}
POLICY = {
    "v": 1,
    "function": "S/Fn",
    "mode": "block",
    "failure_mode": "closed",
    "triggers": [{"source": "sqs", "id": "arn:aws:sqs:eu-west-1:1:q"}],
    "rules": {},
    "behavior": {},
    "flow": {},
}


def secure_function(**props: Any) -> dict[str, Any]:
    """A SecureFunction as the constructs synthesize it (role FnRole, layer Layer)."""
    policy = props.pop("policy", POLICY)
    resource = {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Handler": "eventguard.runtime.wrapper.handler",
            "Runtime": "python3.12",
            "Role": {"Fn::GetAtt": ["FnRole", "Arn"]},
            "Layers": [{"Ref": "Layer"}],
            "Environment": {
                "Variables": {
                    "EVENTGUARD_POLICY": policy
                    if not (isinstance(policy, dict) and "v" in policy)
                    else json.dumps(policy, separators=(",", ":")),
                    "EVENTGUARD_HANDLER": "orders.handler",
                    "EVENTGUARD_QUARANTINE_URL": {"Ref": "Quarantine"},
                }
            },
            "ReservedConcurrentExecutions": 10,
        },
        "Metadata": {"aws:cdk:path": "S/Fn/Resource", "eventguard:secure-function": "0.1.0"},
    }
    resource["Properties"].update(props)
    return resource


def plain_function(**props: Any) -> dict[str, Any]:
    resource = {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Handler": "index.handler",
            "Runtime": "python3.12",
            "Role": {"Fn::GetAtt": ["FnRole", "Arn"]},
        },
        "Metadata": {"aws:cdk:path": "S/Fn/Resource"},
    }
    resource["Properties"].update(props)
    return resource


def role(**props: Any) -> dict[str, Any]:
    resource = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Action": "sts:AssumeRole",
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                    }
                ]
            }
        },
        "Metadata": {"aws:cdk:path": "S/Fn/Role/Resource"},
    }
    resource["Properties"].update(props)
    return resource


def esm(function: Any = None, source: Any = None, **props: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::Lambda::EventSourceMapping",
        "Properties": {
            "FunctionName": function if function is not None else {"Ref": "Fn"},
            "EventSourceArn": source if source is not None else {"Fn::GetAtt": ["Queue", "Arn"]},
            **props,
        },
        "Metadata": {"aws:cdk:path": "S/Fn/SqsEventSource/Resource"},
    }


def base(function: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A template: a function ``Fn`` (secure by default), its role, the layer, a queue."""
    resources = {
        "Fn": function if function is not None else secure_function(),
        "FnRole": role(),
        "Layer": copy.deepcopy(LAYER),
        "Queue": {
            "Type": "AWS::SQS::Queue",
            "Properties": {"RedrivePolicy": {"maxReceiveCount": 3}},
            "Metadata": {"aws:cdk:path": "S/Queue/Resource"},
        },
        "Quarantine": {
            "Type": "AWS::SQS::Queue",
            "Metadata": {"aws:cdk:path": "S/Quarantine/Resource"},
        },
    }
    resources.update(extra)
    return {"Resources": {k: v for k, v in resources.items() if v is not None}}


class Checker:
    """Runs one rule on one resource of a template dict."""

    def __call__(self, rule: Any, doc: dict[str, Any], logical_id: str, stack: str = "S") -> Any:
        app = Assembly.from_templates({stack: doc})
        template = app.templates[0]
        return rule.check(template.resources[logical_id], template)

    def app(self, docs: dict[str, dict[str, Any]]) -> Assembly:
        return Assembly.from_templates(docs)


@pytest.fixture
def check() -> Checker:
    return Checker()


@pytest.fixture
def t() -> Any:
    """The builders, as one namespace."""
    import types

    return types.SimpleNamespace(
        secure_function=secure_function,
        plain_function=plain_function,
        role=role,
        esm=esm,
        base=base,
        LAYER=LAYER,
        POLICY=POLICY,
    )
