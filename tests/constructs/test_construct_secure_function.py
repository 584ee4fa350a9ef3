"""What every SecureFunction of the example app synthesizes to (the contract with the runtime
and the audit): wrapper handler, environment, one shared layer, least-privilege role, logging,
tracing and an encrypted quarantine that the function can only send to."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Match

from eventguard import __version__

FUNCTIONS = ("PlaceOrder", "Fulfilment", "Notifications", "UploadImport", "AuditTrail",
             "NightlyReport")  # fmt: skip
USER_HANDLERS = {
    "PlaceOrder": "orders.handler",
    "Fulfilment": "fulfilment.handler",
    "Notifications": "notifications.handler",
    "UploadImport": "upload_import.handler",
    "AuditTrail": "audit_trail.handler",
    "NightlyReport": "nightly_report.handler",
}


def logical_id(stack: Any, construct: Any) -> str:
    node = getattr(construct, "node", construct)
    return str(stack.resolve(stack.get_logical_id(node.default_child)))


def fn_resource(shop: Any, name: str) -> tuple[str, dict[str, Any]]:
    fn = getattr_fn(shop, name)
    lid = logical_id(shop.stack, fn)
    return lid, shop.template.to_json()["Resources"][lid]


def getattr_fn(shop: Any, name: str) -> Any:
    child = shop.stack.node.find_child(name)
    return child


def test_every_function_of_the_example_is_a_secure_function(shop: Any) -> None:
    functions = shop.template.find_resources("AWS::Lambda::Function")
    secure = {
        lid for lid, r in functions.items() if "eventguard:secure-function" in r.get("Metadata", {})
    }
    assert len(secure) == len(FUNCTIONS)
    # the only other function is CDK's bucket-notifications helper
    others = [r["Metadata"]["aws:cdk:path"] for lid, r in functions.items() if lid not in secure]
    assert all("BucketNotificationsHandler" in path for path in others), others


@pytest.mark.parametrize("name", FUNCTIONS)
def test_handler_is_the_wrapper_and_env_names_the_user_handler(shop: Any, name: str) -> None:
    _lid, resource = fn_resource(shop, name)
    props = resource["Properties"]
    assert props["Handler"] == "eventguard.runtime.wrapper.handler"
    variables = props["Environment"]["Variables"]
    assert variables["EVENTGUARD_HANDLER"] == USER_HANDLERS[name]
    quarantine = logical_id(shop.stack, getattr_fn(shop, name).quarantine)
    assert variables["EVENTGUARD_QUARANTINE_URL"] == {"Ref": quarantine}
    assert resource["Metadata"]["eventguard:secure-function"] == __version__


@pytest.mark.parametrize("name", FUNCTIONS)
def test_policy_env_is_a_valid_runtime_policy(shop: Any, name: str, policy_of: Any) -> None:
    from eventguard.runtime.policy import from_dict

    _lid, resource = fn_resource(shop, name)
    doc = policy_of(resource)
    policy = from_dict(doc)  # the runtime's own parser accepts it
    assert doc["v"] == 1
    assert policy.function == f"Shop/{name}"
    assert (policy.mode, policy.failure_mode) == ("block", "closed")
    assert len(policy.triggers) == 1


def test_policy_keeps_the_json_compact(shop: Any) -> None:
    _lid, resource = fn_resource(shop, "Fulfilment")
    head = resource["Properties"]["Environment"]["Variables"]["EVENTGUARD_POLICY"]["Fn::Join"][1][0]
    assert head.startswith('{"v":1,"function":"Shop/Fulfilment","mode":"block"')
    assert ", " not in head and ": " not in head


def test_one_runtime_layer_per_stack_shared_by_every_function(shop: Any) -> None:
    layers = shop.template.find_resources("AWS::Lambda::LayerVersion")
    assert len(layers) == 1
    ((layer_id, layer),) = layers.items()
    assert layer["Properties"]["Description"].startswith("eventguard runtime")
    assert set(layer["Properties"]["CompatibleRuntimes"]) == {
        "python3.11",
        "python3.12",
        "python3.13",
    }
    for name in FUNCTIONS:
        _, resource = fn_resource(shop, name)
        assert resource["Properties"]["Layers"] == [{"Ref": layer_id}]


def test_no_role_has_a_managed_policy(shop: Any) -> None:
    roles = shop.template.find_resources("AWS::IAM::Role")
    for name in FUNCTIONS:
        role = roles[logical_id(shop.stack, getattr_fn(shop, name).role)]
        assert "ManagedPolicyArns" not in role["Properties"], name
        assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
            "Service": "lambda.amazonaws.com"
        }


def _statements_of_role(shop: Any, role_id: str) -> list[dict[str, Any]]:
    statements = []
    for policy in shop.template.find_resources("AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"]["Roles"]:
            statements.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return statements


@pytest.mark.parametrize("name", FUNCTIONS)
def test_log_writes_are_scoped_to_the_functions_own_log_group(shop: Any, name: str) -> None:
    fn = getattr_fn(shop, name)
    statements = _statements_of_role(shop, logical_id(shop.stack, fn.role))
    log_group_id = logical_id(shop.stack, fn.log_group)
    logs = [s for s in statements if any(str(a).startswith("logs:") for a in _list(s["Action"]))]
    assert logs == [
        {
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [log_group_id, "Arn"]},
        }
    ]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_star_resources_are_only_the_named_exceptions(shop: Any, name: str) -> None:
    from eventguard.constructs._iam import WILDCARD_EXCEPTIONS

    fn = getattr_fn(shop, name)
    for statement in _statements_of_role(shop, logical_id(shop.stack, fn.role)):
        if "*" in _list(statement["Resource"]):
            assert set(_list(statement["Action"])) <= set(WILDCARD_EXCEPTIONS), statement


@pytest.mark.parametrize("name", FUNCTIONS)
def test_log_group_retention_json_logging_and_tracing(shop: Any, name: str) -> None:
    fn = getattr_fn(shop, name)
    log_group_id = logical_id(shop.stack, fn.log_group)
    log_group = shop.template.to_json()["Resources"][log_group_id]
    assert log_group["Properties"]["RetentionInDays"] == 365
    _, resource = fn_resource(shop, name)
    assert resource["Properties"]["LoggingConfig"] == {
        "LogFormat": "JSON",
        "LogGroup": {"Ref": log_group_id},
    }
    assert resource["Properties"]["TracingConfig"] == {"Mode": "Active"}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_quarantine_is_encrypted_tls_only_and_send_only(shop: Any, name: str) -> None:
    fn = getattr_fn(shop, name)
    queue_id = logical_id(shop.stack, fn.quarantine)
    queue = shop.template.to_json()["Resources"][queue_id]
    assert queue["Properties"]["SqsManagedSseEnabled"] is True
    assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    shop.template.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        {
            "Queues": [{"Ref": queue_id}],
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Deny",
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        )
                    ]
                )
            },
        },
    )
    on_queue = [
        s
        for s in _statements_of_role(shop, logical_id(shop.stack, fn.role))
        if s["Resource"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    ]
    assert on_queue == [
        {
            "Action": "sqs:SendMessage",
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [queue_id, "Arn"]},
        }
    ]


def test_metadata_and_policy_are_json_serialisable(shop: Any) -> None:
    json.dumps(shop.template.to_json())
