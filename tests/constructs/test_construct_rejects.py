"""Wrong arguments fail at synth with the construct path, the bad value and the fix."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_docdb as docdb
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs

from eventguard.constructs import SecureFunction, SettingsError, triggers

CODE = str(Path(__file__).resolve().parents[2] / "examples" / "shop" / "handlers" / "orders")


def make(context: dict[str, Any] | None = None, **props: Any) -> tuple[Stack, SecureFunction]:
    stack = Stack(App(context=context or {}), "Shop")
    props.setdefault("handler", "orders.handler")
    fn = SecureFunction(stack, "Orders", code=lambda_.Code.from_asset(CODE), **props)
    return stack, fn


def test_rejects_a_node_runtime() -> None:
    with pytest.raises(ValueError) as info:
        make(runtime=lambda_.Runtime.NODEJS_20_X)
    assert str(info.value) == (
        "Shop/Orders: runtime nodejs20.x is not supported; use Runtime.PYTHON_3_11, "
        "PYTHON_3_12 or PYTHON_3_13"
    )


def test_rejects_an_old_python_runtime() -> None:
    with pytest.raises(ValueError, match=r"^Shop/Orders: runtime python3\.9 is not supported"):
        make(runtime=lambda_.Runtime.PYTHON_3_9)


def test_rejects_a_misspelt_mode() -> None:
    with pytest.raises(SettingsError) as info:
        make(mode="blokc")
    message = str(info.value)
    assert message.startswith("Shop/Orders: mode is 'blokc'")
    assert "did you mean 'block'?" in message and "use one of: block, alert" in message


def test_rejects_a_bad_failure_mode() -> None:
    with pytest.raises(SettingsError, match=r"Shop/Orders: failure_mode is 'shut'.*closed, open"):
        make(failure_mode="shut")


def test_rejects_a_misspelt_policy_key_in_cdk_json() -> None:
    with pytest.raises(SettingsError) as info:
        make(context={"eventguard": {"failure-mode": "open"}})
    message = str(info.value)
    assert message.startswith("Shop/Orders: cdk.json context 'eventguard' has unknown key")
    assert "'failure-mode'; did you mean 'failure_mode'?" in message
    assert "valid keys: mode, failure_mode, rules, public" in message


def test_rejects_a_bad_mode_in_cdk_json() -> None:
    with pytest.raises(SettingsError, match="context 'eventguard' key 'mode' is 'monitor'"):
        make(context={"eventguard": {"mode": "monitor"}})


def test_rejects_an_unknown_rule_id() -> None:
    with pytest.raises(SettingsError) as info:
        make(rules={"sqlinjection": "alert"})
    assert "Shop/Orders: rules names unknown rule 'sqlinjection'" in str(info.value)
    assert "sqli" in str(info.value)


def test_rejects_an_unknown_rule_level() -> None:
    with pytest.raises(SettingsError, match=r"rules\['xss'\] is 'warn'.*block, alert, off"):
        make(rules={"xss": "warn"})


def test_rejects_a_handler_without_module() -> None:
    with pytest.raises(ValueError, match="Shop/Orders: handler 'handler' is not of the form"):
        make(handler="handler")


def test_rejects_a_handler_module_named_app() -> None:
    with pytest.raises(
        ValueError, match=r"Shop/Orders: handler 'app\.handler' names the module 'app'"
    ):
        make(handler="app.handler")


def test_rejects_reserved_environment_names() -> None:
    with pytest.raises(ValueError, match="Shop/Orders: environment sets EVENTGUARD_POLICY"):
        make(environment={"EVENTGUARD_POLICY": "{}"})


@pytest.mark.parametrize("prop", ["role", "tracing", "log_group", "vpc"])
def test_rejects_props_that_secure_function_owns(prop: str) -> None:
    with pytest.raises(ValueError, match=f"Shop/Orders: {prop}= is not accepted by SecureFunction"):
        make(**{prop: None})


def test_rejects_a_short_public_reason() -> None:
    with pytest.raises(SettingsError, match="Shop/Orders: public_reason is 'yes'"):
        make(public_reason="yes")


def test_rejects_an_api_method_without_authorizer_unless_declared_public() -> None:
    stack, fn = make()
    api = apigateway.RestApi(stack, "Api", cloud_watch_role=False)
    with pytest.raises(ValueError) as info:
        fn.add_trigger(triggers.RestApi(api.root, "GET"))
    assert str(info.value).startswith("Shop/Orders: GET / has no authorizer; pass authorizer=")


def test_rejects_a_table_without_stream() -> None:
    stack, fn = make()
    table = dynamodb.Table(
        stack, "T", partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING)
    )
    with pytest.raises(ValueError, match="Shop/Orders: table Shop/T has no stream"):
        fn.add_trigger(triggers.DynamoDbStream(table))


def test_rejects_a_rule_without_literal_name() -> None:
    stack, fn = make()
    rule = events.Rule(stack, "R", event_pattern=events.EventPattern(source=["shop"]))
    with pytest.raises(ValueError, match="Shop/Orders: rule Shop/R has no literal name"):
        fn.add_trigger(triggers.EventBridgeRule(rule))


def _cluster(stack: Stack) -> docdb.IDatabaseCluster:
    return docdb.DatabaseCluster.from_database_cluster_attributes(
        stack, "Docs", cluster_identifier="docs"
    )


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"database": ""}, "database=''; name the database to read"),
        ({"collection": ""}, "collection=''; name a collection, or leave it out"),
        ({"full_document": "updateLookup"}, "full_document='updateLookup'; use one of Default"),
        ({"batch_size": 20_000}, "batch_size=20000; use 1 to 10,000 changes"),
        ({"max_batching_window": Duration.minutes(6)}, "max_batching_window is 6 minutes"),
        (
            {"starting_position": lambda_.StartingPosition.AT_TIMESTAMP},
            "starting_position_timestamp goes with StartingPosition.AT_TIMESTAMP",
        ),
    ],
)
def test_rejects_bad_docdb_trigger_arguments(props: dict[str, Any], message: str) -> None:
    stack = Stack(App(), "Shop")
    props = {"database": "shop", **props}
    with pytest.raises(ValueError) as info:
        triggers.DocumentDb(_cluster(stack), **props)
    assert str(info.value).startswith(f"Shop/Docs: eventguard DocumentDb trigger: {message}")


def test_rejects_a_docdb_cluster_without_a_secret() -> None:
    stack, fn = make()
    with pytest.raises(ValueError) as info:
        fn.add_trigger(triggers.DocumentDb(_cluster(stack), database="shop"))
    assert str(info.value).startswith(
        "Shop/Orders: DocumentDB cluster Shop/Docs has no Secrets Manager secret the event "
        "source mapping can sign in with; pass secret="
    )


def test_rejects_a_docdb_trigger_on_a_function_over_14_minutes() -> None:
    stack, fn = make(timeout=Duration.minutes(15))
    secret = secretsmanager.Secret.from_secret_name_v2(stack, "Login", "docs")
    with pytest.raises(ValueError, match=r"^Shop/Orders: timeout is 15 minutes, but Lambda"):
        fn.add_trigger(triggers.DocumentDb(_cluster(stack), database="shop", secret=secret))


def test_rejects_an_eventguard_trigger_on_a_plain_function() -> None:
    stack = Stack(App(), "Shop")
    plain = lambda_.Function(
        stack, "Plain", code=lambda_.Code.from_asset(CODE), handler="orders.handler",
        runtime=lambda_.Runtime.PYTHON_3_12,
    )  # fmt: skip
    with pytest.raises(
        Exception, match=r"Shop/Plain: eventguard\.constructs\.triggers\.Sqs declares"
    ):
        plain.add_event_source(triggers.Sqs(sqs.Queue(stack, "Q")))


def _synth_errors(stack: Stack) -> str:
    with pytest.raises(Exception) as info:
        stack.node.root.synth()
    return str(info.value)


def test_fails_synth_when_the_environment_exceeds_4_kb() -> None:
    stack, _ = make(environment={"BIG": "x" * 3900})
    message = _synth_errors(stack)
    assert re.search(r"Shop/Orders: environment variables would take about \d+ bytes", message)
    assert "over Lambda's 4096-byte limit" in message


def test_fails_synth_on_a_star_resource_grant() -> None:
    stack, fn = make()
    fn.add_to_role_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=["*"]))
    message = _synth_errors(stack)
    assert "Shop/Orders: the role grants s3:GetObject on Resource '*'" in message


def test_rejects_a_policy_section_that_secure_function_owns() -> None:
    _, fn = make()
    with pytest.raises(ValueError, match=r"Shop/Orders: policy section 'mode' is not one of"):
        fn.set_policy_section("mode", {"x": 1})


def test_policy_sections_are_rendered_into_the_document() -> None:
    _, fn = make()
    fn.set_policy_section("behavior", {"levels": {"egress": "block"}})
    assert fn.policy_document()["behavior"] == {"levels": {"egress": "block"}}
    assert list(fn.policy_document())[:6] == [
        "v", "function", "mode", "failure_mode", "triggers", "rules"
    ]  # fmt: skip
