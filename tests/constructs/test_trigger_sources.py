"""Triggers wire the stock CDK event source and declare the entry point in the policy with the id
the runtime's ``origins(event)`` returns for that source."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_docdb as docdb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
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
        "sqs", "sns", "s3", "api-rest", "dynamodb-stream", "kinesis", "eventbridge", "scheduled",
        "docdb",
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
    changes = SecureFunction(stack, "Changes", code=code, handler="orders.handler")
    for trigger in docdb_triggers(stack):
        changes.add_trigger(trigger)
    template = Template.from_stack(stack)
    resources = template.to_json()["Resources"]
    return stack, {
        name: resources[lid(stack, fn)] for name, fn in
        (("Streams", streams), ("Public", public), ("IamOnly", iam_only), ("Changes", changes))
    }, template  # fmt: skip


def docdb_triggers(stack: Stack) -> list[triggers.DocumentDb]:
    """A cluster of the stack (its generated secret signs in) and an imported one with its
    secret and that secret's key named."""
    isolated = ec2.SubnetConfiguration(name="db", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
    vpc = ec2.Vpc(stack, "Net", max_azs=2, nat_gateways=0, subnet_configuration=[isolated])
    catalog = docdb.DatabaseCluster(
        stack, "Catalog", master_user=docdb.Login(username="shop"), vpc=vpc,
        instance_type=ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
    )  # fmt: skip
    # typed with capitals, as the console shows it: DocumentDB stores (and events name) it in
    # lower case, which the declared origin must match
    orders = docdb.DatabaseCluster.from_database_cluster_attributes(
        stack, "OrdersDb", cluster_identifier=ORDERS_CLUSTER_AS_TYPED
    )
    return [
        triggers.DocumentDb(catalog, database="shop", collection="products"),
        triggers.DocumentDb(
            orders, database="orders", full_document="UpdateLookup", batch_size=50,
            secret=secretsmanager.Secret.from_secret_name_v2(stack, "OrdersLogin", "orders-db"),
            encryption_key=kms.Key.from_key_arn(stack, "OrdersKey", ORDERS_KEY),
        ),
    ]  # fmt: skip


ORDERS_CLUSTER = "orders-docdb-cluster-7k2m9x"  # the cluster of tests/events/docdb samples
ORDERS_CLUSTER_AS_TYPED = "Orders-DocDB-Cluster-7K2M9X"  # the same identifier, capitalised
ORDERS_KEY = "arn:aws:kms:eu-west-1:210987654321:key/6d1f3c2e-7a5b-4c8e-9f01-23456789abcd"


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


# -- DocumentDB: no stock event source; the trigger builds the mapping and its IAM -------------


def docdb_mappings(template: Any) -> dict[str, dict[str, Any]]:
    """The DocumentDB event source mappings by database name."""
    return {
        r["Properties"]["DocumentDBEventSourceConfig"]["DatabaseName"]: r
        for r in template.to_json()["Resources"].values()
        if r["Type"] == "AWS::Lambda::EventSourceMapping"
        and "DocumentDBEventSourceConfig" in r["Properties"]
    }


def cluster_arn(name: Any) -> dict[str, Any]:
    parts = ["arn:", {"Ref": "AWS::Partition"}, ":rds:", {"Ref": "AWS::Region"}, ":"]
    tail = [":cluster:", name] if isinstance(name, dict) else [f":cluster:{name}"]
    return {"Fn::Join": ["", [*parts, {"Ref": "AWS::AccountId"}, *tail]]}


def test_docdb_trigger_maps_the_cluster_arn_with_its_secret(probe: Any) -> None:
    stack, _, template = probe
    catalog = lid(stack, stack.node.find_child("Catalog"))
    attachment = lid(stack, stack.node.find_child("Catalog").secret)
    mappings = docdb_mappings(template)
    assert set(mappings) == {"shop", "orders"}
    shop = mappings["shop"]["Properties"]
    assert shop == {
        "DocumentDBEventSourceConfig": {
            "DatabaseName": "shop", "CollectionName": "products", "FullDocument": "Default"
        },
        "EventSourceArn": cluster_arn({"Ref": catalog}),
        "FunctionName": {"Ref": lid(stack, stack.node.find_child("Changes"))},
        "SourceAccessConfigurations": [{"Type": "BASIC_AUTH", "URI": {"Ref": attachment}}],
        "StartingPosition": "LATEST",
    }  # fmt: skip
    orders = mappings["orders"]["Properties"]
    assert orders["DocumentDBEventSourceConfig"] == {
        "DatabaseName": "orders", "FullDocument": "UpdateLookup"
    }  # fmt: skip
    assert (orders["EventSourceArn"], orders["BatchSize"]) == (cluster_arn(ORDERS_CLUSTER), 50)
    # No partial batch response for DocumentDB: the runtime retries the batch instead.
    assert "FunctionResponseTypes" not in shop and "FunctionResponseTypes" not in orders
    role_policy = lid(stack, stack.node.find_child("ChangesRole").node.find_child("DefaultPolicy"))
    assert all(m["DependsOn"] == [role_policy] for m in mappings.values())


def _statements(probe: Any) -> list[dict[str, Any]]:
    stack, _, template = probe
    role_policy = stack.node.find_child("ChangesRole").node.find_child("DefaultPolicy")
    resource = template.to_json()["Resources"][lid(stack, role_policy)]
    return list(resource["Properties"]["PolicyDocument"]["Statement"])


def _granted(statements: list[dict[str, Any]], action: str) -> list[Any]:
    out = []
    for statement in statements:
        actions = statement["Action"]
        if action in (actions if isinstance(actions, list) else [actions]):
            resource = statement["Resource"]
            out.extend(resource if isinstance(resource, list) else [resource])
    return out


def _arn(service: str, tail: str) -> dict[str, Any]:
    return {
        "Fn::Join": ["", [
            "arn:", {"Ref": "AWS::Partition"}, f":{service}:", {"Ref": "AWS::Region"}, ":",
            {"Ref": "AWS::AccountId"}, tail,
        ]]
    }  # fmt: skip


def test_docdb_trigger_grants_what_the_mapping_needs_scoped(probe: Any) -> None:
    stack, _, _ = probe
    statements = _statements(probe)
    catalog = lid(stack, stack.node.find_child("Catalog"))
    attachment = lid(stack, stack.node.find_child("Catalog").secret)
    assert _granted(statements, "rds:DescribeDBClusters") == [
        cluster_arn({"Ref": catalog}), cluster_arn(ORDERS_CLUSTER)
    ]  # fmt: skip
    assert _granted(statements, "rds:DescribeDBClusterParameters") == [_arn("rds", ":cluster-pg:*")]
    assert _granted(statements, "rds:DescribeDBSubnetGroups") == [_arn("rds", ":subgrp:*")]
    interfaces = _arn("ec2", ":network-interface/*")
    assert _granted(statements, "ec2:CreateNetworkInterface") == [
        interfaces, _arn("ec2", ":subnet/*"), _arn("ec2", ":security-group/*")
    ]  # fmt: skip
    assert _granted(statements, "ec2:DeleteNetworkInterface") == [interfaces]
    for describe in ("NetworkInterfaces", "Vpcs", "Subnets", "SecurityGroups"):
        assert _granted(statements, f"ec2:Describe{describe}") == ["*"]  # no resource scope
    assert _granted(statements, "secretsmanager:GetSecretValue") == [
        {"Ref": attachment}, _arn("secretsmanager", ":secret:orders-db-??????")
    ]  # fmt: skip
    assert _granted(statements, "kms:Decrypt") == [ORDERS_KEY]
    star = {a for s in statements if s["Resource"] == "*" for a in s["Action"]}
    assert star == {
        "xray:PutTraceSegments", "xray:PutTelemetryRecords", "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
    }  # fmt: skip


def test_docdb_trigger_acknowledges_only_its_named_wildcards_to_cdk_nag(probe: Any) -> None:
    stack, _, template = probe
    role_policy = stack.node.find_child("ChangesRole").node.find_child("DefaultPolicy")
    metadata = template.to_json()["Resources"][lid(stack, role_policy)]["Metadata"]
    regexes = [
        re.compile(applies["regex"][1:-2])  # cdk-nag writes /^...$/g
        for suppression in metadata["cdk_nag"]["rules_to_suppress"]
        if suppression["id"] == "AwsSolutions-IAM5"
        for applies in suppression["applies_to"]
        if isinstance(applies, dict)
    ]
    scope = "Resource::arn:<AWS::Partition>:{}:<AWS::Region>:<AWS::AccountId>:"
    named = [
        *(scope.format("rds") + f"{kind}:*" for kind in ("cluster-pg", "subgrp")),
        *(scope.format("ec2") + f"{kind}/*" for kind in NETWORK),
    ]
    assert all(any(r.match(finding) for r in regexes) for finding in named)
    others = ["Resource::*", scope.format("rds") + "cluster:*", scope.format("s3") + "x/*"]
    assert not any(r.match(finding) for r in regexes for finding in others)


NETWORK = ("network-interface", "subnet", "security-group")


def test_docdb_trigger_declares_the_cluster_arns(probe: Any, policy_of: Any) -> None:
    stack, functions, _ = probe
    catalog = lid(stack, stack.node.find_child("Catalog"))
    arn = "arn:Ref:AWS::Partition:rds:Ref:AWS::Region:Ref:AWS::AccountId:cluster:"
    assert policy_of(functions["Changes"])["triggers"] == [
        {"source": "docdb", "id": f"{arn}Ref:{catalog}"},
        {"source": "docdb", "id": f"{arn}{ORDERS_CLUSTER}"},
    ]


def test_docdb_trigger_passes_the_audit(probe: Any) -> None:
    from eventguard.aspects.engine import audit_templates

    stack, _, template = probe
    report = audit_templates({"Probe": template.to_json()})
    points = [e for e in report.entry_points if e["source_type"] == "docdb"]
    assert [(e["status"], e["rules_failed"]) for e in points] == [("guarded", [])] * 2
    changes = lid(stack, stack.node.find_child("Changes"))
    mine = {changes, *(e["resource"] for e in points)}
    assert [f.rule for f in report.errors if f.resource in mine or f.function == changes] == []


# What CloudFormation puts in place of the tokens once deployed, the same in the mapping's
# EventSourceArn and in the policy: the runtime compares the event's eventSourceArn with it.
DEPLOYED = {
    "AWS::Partition": "aws", "AWS::Region": "eu-west-1", "AWS::AccountId": "210987654321",
}  # fmt: skip


def _deployed(value: Any, refs: dict[str, str]) -> str:
    if isinstance(value, str):
        return value
    if "Ref" in value:
        return refs[value["Ref"]]
    sep, parts = value["Fn::Join"]
    return str(sep).join(_deployed(part, refs) for part in parts)


def test_a_docdb_event_passes_origin_verification_only_from_a_declared_cluster(probe: Any) -> None:
    from eventguard.runtime import inspect, policy
    from eventguard.runtime.model import UNEXPECTED_SOURCE

    stack, functions, template = probe
    refs = {**DEPLOYED, lid(stack, stack.node.find_child("Catalog")): "catalog-3fj8q1"}
    raw = functions["Changes"]["Properties"]["Environment"]["Variables"]["EVENTGUARD_POLICY"]
    deployed = policy.from_json(_deployed(raw, refs))
    arns = {
        _deployed(m["Properties"]["EventSourceArn"], refs)
        for m in docdb_mappings(template).values()
    }
    assert {t.id for t in deployed.triggers} == arns
    events = Path(__file__).resolve().parents[1] / "events" / "docdb"
    event = json.loads((events / "own--insert.json").read_text())
    assert event["eventSourceArn"].endswith(f":cluster:{ORDERS_CLUSTER}")

    def unexpected(source_arn: str) -> list[Any]:
        verdict = inspect({**event, "eventSourceArn": source_arn}, policy=deployed)
        return [f for f in verdict.findings if f.rule == UNEXPECTED_SOURCE]

    assert unexpected(event["eventSourceArn"]) == []
    assert unexpected("arn:aws:rds:eu-west-1:210987654321:cluster:catalog-3fj8q1") == []
    (stray,) = unexpected("arn:aws:rds:eu-west-1:210987654321:cluster:billing-docdb")
    assert stray.detail == "docdb"
