"""``BehaviorPolicy`` (construct side): validation with a fix in the message, and a rendering the
runtime compiles; ``to_policy(function=...)`` adds the AWS services the role is granted."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("CDK_DISABLE_VERSION_CHECK", "1")
os.environ.setdefault("CDK_VALIDATION", "false")

from aws_cdk import App, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Template

from eventguard.constructs.behavior import CONCERNS, BehaviorPolicy, BehaviorPolicyError
from eventguard.runtime.behavior.rules import CONCERN_IDS, compile_rules
from eventguard.runtime.taint import Taint


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"egress_hosts": ["https://api.example.com/v1"]},
            "write the host only: 'api.example.com'",
        ),
        ({"egress_hosts": ["10.0.0.0/8"]}, "put it in egress_cidrs"),
        ({"egress_hosts": ["*.example.com"]}, "use egress_domains=['example.com']"),
        ({"egress_hosts": ["api.example.com:443"]}, "host only"),
        ({"egress_hosts": ["bad_host!"]}, "not a host name or IP address"),
        ({"egress_domains": ["*.example.com"]}, "needs no wildcard"),
        ({"egress_domains": ["10.0.0.1"]}, "put it in egress_hosts"),
        ({"egress_domains": ["localhost"]}, "not a domain name"),
        ({"egress_cidrs": ["10.0.0.1/8"]}, "did you mean '10.0.0.0/8'"),
        ({"egress_cidrs": ["ten/8"]}, "is not a CIDR"),
        ({"egress_hosts": "api.example.com"}, "must be a list of strings"),
        ({"executables": ["bin/convert"]}, "absolute path or a bare name"),
        ({"executables": ["convert -resize 10"]}, "list the program only"),
        ({"writable_paths": ["tmp"]}, "absolute directory"),
        ({"writable_paths": ["/"]}, "levels={'files': 'allow'}"),
        ({"readable_code_paths": ["../secrets"]}, "relative to the function's code"),
        ({"unpickle_classes": ["os.system()"]}, "'module.Name' or 'module.*'"),
        ({"aws_services": ["DynamoDB"]}, "IAM action prefix"),
        ({"levels": {"network": "block"}}, "is not a concern"),
        ({"levels": {"egress": "deny"}}, "must be one of block, alert, allow"),
        ({"allow_ctypes": True, "levels": {"native": "block"}}, "contradicts allow_ctypes"),
    ],
)
def test_rejects_values_the_runtime_could_not_enforce(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(BehaviorPolicyError) as error:
        BehaviorPolicy(**kwargs)
    assert message in str(error.value)
    bad = next(iter(kwargs.values()))
    shown = bad[0] if isinstance(bad, list) else bad
    if isinstance(shown, str):
        assert repr(shown) in str(error.value) or shown in str(error.value)


def test_keyword_only_and_frozen() -> None:
    with pytest.raises(TypeError):
        BehaviorPolicy(["api.example.com"])  # type: ignore[misc]
    policy = BehaviorPolicy(egress_hosts=["API.example.com", "api.example.com"])
    assert policy.egress_hosts == ("api.example.com",)
    with pytest.raises(AttributeError):
        policy.egress_hosts = ()  # type: ignore[misc]


def test_renders_the_documented_schema_which_the_runtime_compiles() -> None:
    assert CONCERNS == CONCERN_IDS
    policy = BehaviorPolicy(
        egress_hosts=["api.stripe.com", "10.0.0.5"],
        egress_domains=["example.org"],
        egress_cidrs=["192.168.0.0/16"],
        aws_services=["dynamodb"],
        executables=["/usr/bin/convert"],
        readable_code_paths=["templates"],
        allow_ctypes=True,
        unpickle_classes=["myapp.models.Order"],
        levels={"tamper": "alert"},
    )
    doc = policy.to_policy()
    assert json.loads(json.dumps(doc)) == doc
    assert doc["levels"]["native"] == "allow" and doc["levels"]["tamper"] == "alert"
    assert doc["levels"]["egress"] == "block"
    assert doc["files"] == {"writable": ["/tmp"], "readable": ["templates"]}
    rules = compile_rules(
        doc,
        mode="block",
        taint=Taint(),
        environ={"AWS_REGION": "eu-west-1", "LAMBDA_TASK_ROOT": "/var/task"},
    )
    assert "api.stripe.com" in rules.hosts and "10.0.0.5" in rules.declared_ips
    assert "dynamodb.eu-west-1.amazonaws.com" in rules.domains
    assert rules.readable == ("/var/task/templates",)
    assert "myapp.models.Order" in rules.pickle_classes and rules.level("native") == "allow"


def test_adds_the_services_the_function_role_is_granted_when_the_template_is_rendered() -> None:
    app = App()
    stack = Stack(app, "Shop")
    fn = lambda_.Function(
        stack,
        "Orders",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(e, c): pass"),
    )
    doc = BehaviorPolicy(aws_services=["s3"]).to_policy(function=fn)
    fn.add_environment("BEHAVIOR", stack.to_json_string(doc))
    dynamodb.Table(
        stack, "T", partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING)
    ).grant_read_data(fn)  # granted afterwards
    sqs.Queue(stack, "Q").grant_send_messages(fn)
    template = Template.from_stack(stack).to_json()
    function = next(
        r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Function"
    )
    rendered = json.loads(function["Properties"]["Environment"]["Variables"]["BEHAVIOR"])
    assert rendered["egress"]["aws_services"] == ["s3", "dynamodb", "sqs"]
