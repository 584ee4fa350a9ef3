"""Triggers wire the stock CDK event source and declare the entry point in the policy with the id
the runtime's ``origins(event)`` returns for that source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_events as events
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match, Template

from eventguard.constructs import SecureFunction, triggers

CODE = str(Path(__file__).resolve().parents[2] / "examples" / "shop" / "handlers" / "orders")


def lid(stack: Any, construct: Any) -> str:
    return str(stack.resolve(stack.get_logical_id(construct.node.default_child)))


def declared(shop: Any, policy_of: Any, name: str) -> list[dict[str, Any]]:
    fn = shop.stack.node.find_child(name)
    resource = shop.template.to_json()["Resources"][lid(shop.stack, fn)]
    return list(policy_of(resource)["triggers"])


def test_registry_lists_one_trigger_per_runtime_source() -> None:
    from eventguard.runtime.sources import BY_ID

    assert set(triggers.TRIGGERS) == {
        "sqs", "sns", "s3", "api-rest", "dynamodb-stream", "kinesis", "eventbridge", "scheduled"
    }  # fmt: skip
    for source, cls in triggers.TRIGGERS.items():
        assert source == cls.SOURCE
        assert source in BY_ID, f"the runtime has no source module for {source}"


def test_sqs_trigger_declares_the_queue_arn(shop: Any, policy_of: Any) -> None:
    queue = lid(shop.stack, shop.stack.fulfilment_queue)
    assert declared(shop, policy_of, "Fulfilment") == [
        {"source": "sqs", "id": f"GetAtt:{queue}.Arn"}
    ]


def test_sns_trigger_declares_the_topic_arn(shop: Any, policy_of: Any) -> None:
    topic = lid(shop.stack, shop.stack.events_topic)  # Ref of a topic is its ARN
    assert declared(shop, policy_of, "Notifications") == [{"source": "sns", "id": f"Ref:{topic}"}]


def test_s3_trigger_declares_the_bucket_name(shop: Any, policy_of: Any) -> None:
    bucket = lid(shop.stack, shop.stack.node.find_child("Uploads"))  # Ref of a bucket: its name
    assert declared(shop, policy_of, "UploadImport") == [{"source": "s3", "id": f"Ref:{bucket}"}]
    shop.template.has_resource_properties(
        "Custom::S3BucketNotifications",
        {
            "NotificationConfiguration": {
                "LambdaFunctionConfigurations": [
                    Match.object_like(
                        {
                            "Events": ["s3:ObjectCreated:*"],
                            "Filter": {
                                "Key": {
                                    "FilterRules": Match.array_with(
                                        [
                                            {"Name": "suffix", "Value": ".csv"},
                                            {"Name": "prefix", "Value": "uploads/"},
                                        ]
                                    )
                                }
                            },
                        }
                    )
                ]
            }
        },
    )


def test_rest_api_trigger_declares_the_api_id_and_stage(shop: Any, policy_of: Any) -> None:
    api = lid(shop.stack, shop.stack.node.find_child("ShopApi"))
    assert declared(shop, policy_of, "PlaceOrder") == [
        {"source": "api-rest", "id": f"Ref:{api}", "stage": "prod"}
    ]
    shop.template.has_resource_properties(
        "AWS::ApiGateway::Method",
        {
            "HttpMethod": "POST",
            "AuthorizationType": "COGNITO_USER_POOLS",
            "Integration": Match.object_like({"Type": "AWS_PROXY"}),
        },
    )


def test_dynamodb_stream_trigger_declares_the_stream_arn(shop: Any, policy_of: Any) -> None:
    table = lid(shop.stack, shop.stack.table)
    assert declared(shop, policy_of, "AuditTrail") == [
        {"source": "dynamodb-stream", "id": f"GetAtt:{table}.StreamArn"}
    ]


def test_schedule_trigger_declares_the_rule_arn_by_name(shop: Any, policy_of: Any) -> None:
    (trigger,) = declared(shop, policy_of, "NightlyReport")
    rule = shop.stack.node.find_child("NightlyReport").node.find_child("Nightly")
    name = shop.template.to_json()["Resources"][lid(shop.stack, rule)]["Properties"]["Name"]
    assert trigger["source"] == "scheduled"
    assert trigger["id"].endswith(f":events:Ref:AWS::Region:Ref:AWS::AccountId:rule/{name}")
    assert len(name) <= 64 and name.endswith("-Nightly")


@pytest.mark.parametrize("queue_or_table", ["FulfilmentQueue", "Orders"])
def test_batch_triggers_report_item_failures(shop: Any, queue_or_table: str) -> None:
    source = shop.stack.node.find_child(queue_or_table)
    arn_attr = "Arn" if queue_or_table == "FulfilmentQueue" else "StreamArn"
    shop.template.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "EventSourceArn": {"Fn::GetAtt": [lid(shop.stack, source), arn_attr]},
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
        },
    )


def test_stream_trigger_bisects_and_bounds_retries(shop: Any) -> None:
    shop.template.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "EventSourceArn": {"Fn::GetAtt": [lid(shop.stack, shop.stack.table), "StreamArn"]},
            "BisectBatchOnFunctionError": True,
            "MaximumRetryAttempts": 3,
            "StartingPosition": "TRIM_HORIZON",
        },
    )


# -- a probe app for what the example does not use ---------------------------------------------


@pytest.fixture(scope="module")
def probe() -> Any:
    app = App(
        context={
            "eventguard": {
                "mode": "alert",
                "rules": {"xss": "off", "sqli": "block"},
                "public": {"Probe/Public": "the public price list of the storefront"},
            }
        }
    )
    stack = Stack(app, "Probe")
    code = lambda_.Code.from_asset(CODE)
    stream = kinesis.Stream(stack, "Clicks")
    rule = events.Rule(
        stack, "Refunds", rule_name="shop-refunds",
        event_pattern=events.EventPattern(source=["shop.payments"]),
    )  # fmt: skip
    fifo = sqs.Queue(stack, "Ledger", fifo=True)
    bucket = s3.Bucket.from_bucket_name(stack, "Imported", "partner-drop")
    streams = SecureFunction(
        stack, "Streams", code=code, handler="orders.handler", rules={"sqli": "alert"},
        triggers=[triggers.Kinesis(stream), triggers.EventBridgeRule(rule)],
    )  # fmt: skip
    streams.add_event_source(triggers.Sqs(fifo))  # the IEventSource route declares too
    streams.add_trigger(triggers.S3(bucket))
    api = apigateway.RestApi(stack, "Api", cloud_watch_role=False)
    public = SecureFunction(
        stack, "Public", code=code, handler="orders.handler", mode="block",
        failure_mode="open", triggers=[triggers.RestApi(api.root.add_resource("prices"), "GET")],
    )  # fmt: skip
    iam_only = SecureFunction(stack, "IamOnly", code=code, handler="orders.handler")
    iam_only.add_trigger(
        triggers.RestApi(
            api.root.add_resource("admin"), "POST",
            authorization_type=apigateway.AuthorizationType.IAM,
        )
    )  # fmt: skip
    template = Template.from_stack(stack)
    resources = template.to_json()["Resources"]
    return stack, {
        name: resources[lid(stack, fn)] for name, fn in
        (("Streams", streams), ("Public", public), ("IamOnly", iam_only))
    }, template  # fmt: skip


def test_kinesis_eventbridge_fifo_and_imported_bucket(probe: Any, policy_of: Any) -> None:
    stack, functions, template = probe
    stream = lid(stack, stack.node.find_child("Clicks"))
    fifo = lid(stack, stack.node.find_child("Ledger"))
    doc = policy_of(functions["Streams"])
    by_source = {t["source"]: t for t in doc["triggers"]}
    assert by_source["kinesis"] == {"source": "kinesis", "id": f"GetAtt:{stream}.Arn"}
    assert by_source["eventbridge"]["id"].endswith(":rule/shop-refunds")
    assert by_source["eventbridge"]["pattern"] == {"source": ["shop.payments"]}
    assert by_source["sqs"] == {"source": "sqs", "id": f"GetAtt:{fifo}.Arn", "fifo": True}
    assert by_source["s3"] == {"source": "s3", "id": "partner-drop"}
    template.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        {
            "EventSourceArn": {"Fn::GetAtt": [stream, "Arn"]},
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "BisectBatchOnFunctionError": True,
        },
    )


def test_context_policy_is_the_default_and_props_override_it(probe: Any, policy_of: Any) -> None:
    _, functions, _ = probe
    streams = policy_of(functions["Streams"])
    assert (streams["mode"], streams["failure_mode"]) == ("alert", "closed")
    assert streams["rules"] == {"xss": "off", "sqli": "alert"}
    public = policy_of(functions["Public"])
    assert (public["mode"], public["failure_mode"]) == ("block", "open")


def test_public_reason_from_cdk_json_allows_and_marks_a_public_method(probe: Any) -> None:
    _, functions, template = probe
    assert functions["Public"]["Metadata"]["eventguard:public"] == (
        "the public price list of the storefront"
    )
    assert "eventguard:public" not in functions["IamOnly"]["Metadata"]
    template.has_resource_properties(
        "AWS::ApiGateway::Method", {"HttpMethod": "GET", "AuthorizationType": "NONE"}
    )
    template.has_resource_properties(
        "AWS::ApiGateway::Method", {"HttpMethod": "POST", "AuthorizationType": "AWS_IAM"}
    )
