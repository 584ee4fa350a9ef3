"""``enable_flow`` and the flow key on plain ``aws_lambda.Function``s: one secret per stack, a
grant on that secret only, invoke permission for declared callers, and the policy section."""

from __future__ import annotations

import os
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("CDK_DISABLE_VERSION_CHECK", "1")
os.environ.setdefault("CDK_VALIDATION", "false")

from aws_cdk import App, Duration, Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Match, Template

from eventguard.constructs.flow import FlowError, enable_flow, flow_key
from eventguard.runtime.policy import from_dict


def function(stack: Stack, name: str) -> lambda_.Function:
    return lambda_.Function(
        stack,
        name,
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(e, c): pass"),
    )


@pytest.fixture(scope="module")
def shop() -> dict[str, Any]:
    app = App()
    stack = Stack(app, "Shop")
    api, pay = function(stack, "Api"), function(stack, "Pay")
    api_flow = enable_flow(api)
    pay_flow = enable_flow(pay, invoked_by=[api, "Shop/Batch"], max_age=Duration.minutes(10))
    return {
        "stack": stack,
        "template": Template.from_stack(stack),
        "api": api_flow,
        "pay": pay_flow,
        "key": flow_key(stack),
    }


def test_one_flow_key_per_stack(shop: dict[str, Any]) -> None:
    shop["template"].resource_count_is("AWS::SecretsManager::Secret", 1)
    shop["template"].has_resource_properties(
        "AWS::SecretsManager::Secret",
        {"GenerateSecretString": {"PasswordLength": 64, "ExcludePunctuation": True}},
    )
    assert flow_key(shop["stack"]) is shop["key"]


def test_grants_get_secret_value_on_the_flow_key_only(shop: dict[str, Any]) -> None:
    template = shop["template"].to_json()
    key_id = next(
        k for k, r in template["Resources"].items() if r["Type"] == "AWS::SecretsManager::Secret"
    )
    statements = [
        s
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy"
        for s in r["Properties"]["PolicyDocument"]["Statement"]
        if "secretsmanager" in str(s["Action"])
    ]
    assert len(statements) == 2  # one per function
    for statement in statements:
        assert statement["Action"] == "secretsmanager:GetSecretValue"
        assert statement["Resource"] == {"Ref": key_id}


def test_lets_declared_callers_invoke(shop: dict[str, Any]) -> None:
    shop["template"].has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Action": "lambda:InvokeFunction"})]
                )
            }
        },
    )


def test_renders_the_flow_section_the_runtime_reads(shop: dict[str, Any]) -> None:
    pay = shop["pay"]
    assert pay["name"] == "Shop/Pay"
    assert pay["invoked_by"] == ["Shop/Api", "Shop/Batch"]
    assert pay["require"] == ["direct"] and pay["max_age"] == 600 and pay["sign"] is True
    assert shop["api"]["require"] == [] and shop["api"]["invoked_by"] == []
    resolved = shop["stack"].resolve(pay)
    assert resolved["key"] == {
        "Ref": next(iter(shop["template"].find_resources("AWS::SecretsManager::Secret")))
    }
    assert (
        from_dict({"flow": {**pay, "key": "arn:aws:secretsmanager:x"}}).flow["name"] == "Shop/Pay"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"require": ["http"]}, "only carried by"),
        ({"invoked_by": [""]}, "empty caller"),
        ({"invoked_by": [42]}, "takes functions"),
        ({"max_age": Duration.millis(10)}, "at least one"),
    ],
)
def test_rejects_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    stack = Stack(App(), "Bad")
    with pytest.raises(FlowError, match=message) as error:
        enable_flow(function(stack, "F"), **kwargs)
    assert "Bad/F" in str(error.value)
