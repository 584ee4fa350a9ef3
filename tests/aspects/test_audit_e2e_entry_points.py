"""End to end: a plain CDK app wiring every entry-point type to plain ``aws_lambda.Function``s,
synthesized once per session (CDK's built-in validation off); the audit must find each entry
point, resolve the function it reaches and report it unguarded."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("CDK_DISABLE_VERSION_CHECK", "1")

# stack name -> (source types the audit must report in it, or in its nested stacks)
EXPECTED: dict[str, set[str]] = {
    "Sqs": {"sqs"},
    "Kinesis": {"kinesis"},
    "Dynamo": {"dynamodb-stream"},
    "Msk": {"kafka"},
    "SelfKafka": {"kafka"},
    "Mq": {"mq"},
    "DocDb": {"docdb"},
    "Rest": {"api-rest"},
    "Http": {"api-http"},
    "Url": {"function-url"},
    "Alb": {"alb"},
    "Sns": {"sns"},
    "S3": {"s3"},
    "Rule": {"eventbridge"},
    "Schedule": {"scheduled"},
    "Scheduler": {"scheduled"},
    "Pipe": {"pipes"},
    "Iot": {"iot"},
    "Ses": {"ses"},
    "Cognito": {"cognito"},
    "AppSync": {"appsync"},
    "StepFunctions": {"direct"},
    "Logs": {"cloudwatch-logs"},
    "Firehose": {"firehose"},
    "Lex": {"lex"},
    "Rotation": {"secrets-rotation"},
    "Grants": {"direct"},
    "Nested": {"sqs"},
    "Consumer": {"sqs"},
}


def build(app):
    import aws_cdk as cdk
    from aws_cdk import aws_apigateway as apigw
    from aws_cdk import aws_apigatewayv2 as apigwv2
    from aws_cdk import aws_apigatewayv2_integrations as v2int
    from aws_cdk import aws_appsync as appsync
    from aws_cdk import aws_cognito as cognito
    from aws_cdk import aws_dynamodb as ddb
    from aws_cdk import aws_elasticloadbalancingv2 as elbv2
    from aws_cdk import aws_elasticloadbalancingv2_targets as elbt
    from aws_cdk import aws_events as events
    from aws_cdk import aws_events_targets as targets
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_iot as iot
    from aws_cdk import aws_kinesis as kinesis
    from aws_cdk import aws_kinesisfirehose as firehose
    from aws_cdk import aws_lambda as lam
    from aws_cdk import aws_lambda_event_sources as es
    from aws_cdk import aws_lex as lex
    from aws_cdk import aws_logs as logs
    from aws_cdk import aws_logs_destinations as log_dest
    from aws_cdk import aws_pipes as pipes
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_scheduler as scheduler
    from aws_cdk import aws_secretsmanager as sm
    from aws_cdk import aws_ses as ses
    from aws_cdk import aws_ses_actions as ses_actions
    from aws_cdk import aws_sns as sns
    from aws_cdk import aws_sqs as sqs
    from aws_cdk import aws_stepfunctions as sfn
    from aws_cdk import aws_stepfunctions_tasks as tasks

    def stack(name, cls=cdk.Stack, scope=app):
        return cls(scope, name)

    def fn(scope, name="Fn"):
        return lam.Function(
            scope,
            name,
            runtime=lam.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lam.Code.from_inline("def handler(e, c): return e"),
        )

    s = stack("Sqs")
    fn(s).add_event_source(es.SqsEventSource(sqs.Queue(s, "Q")))
    s = stack("Kinesis")
    fn(s).add_event_source(
        es.KinesisEventSource(kinesis.Stream(s, "K"), starting_position=lam.StartingPosition.LATEST)
    )
    s = stack("Dynamo")
    table = ddb.Table(
        s,
        "T",
        partition_key=ddb.Attribute(name="id", type=ddb.AttributeType.STRING),
        stream=ddb.StreamViewType.NEW_IMAGE,
    )
    fn(s).add_event_source(
        es.DynamoEventSource(table, starting_position=lam.StartingPosition.LATEST)
    )
    s = stack("Msk")
    fn(s).add_event_source(
        es.ManagedKafkaEventSource(
            cluster_arn="arn:aws:kafka:us-east-1:123456789012:cluster/c/abc",
            topic="orders",
            starting_position=lam.StartingPosition.LATEST,
        )
    )
    s = stack("SelfKafka")
    secret = sm.Secret(s, "KafkaSecret")
    fn(s).add_event_source(
        es.SelfManagedKafkaEventSource(
            bootstrap_servers=["b-1.example.com:9092"],
            topic="orders",
            secret=secret,
            starting_position=lam.StartingPosition.LATEST,
        )
    )
    s = stack("Mq")
    lam.CfnEventSourceMapping(
        s,
        "MqMapping",
        function_name=fn(s).function_name,
        event_source_arn="arn:aws:mq:us-east-1:123456789012:broker:b:b-1234",
        queues=["orders"],
    )
    s = stack("DocDb")
    cluster = cdk.CfnResource(
        s, "Cluster", type="AWS::DocDB::DBCluster", properties={"MasterUsername": "u"}
    )
    lam.CfnEventSourceMapping(
        s,
        "DocMapping",
        function_name=fn(s).function_name,
        event_source_arn=cdk.Fn.sub(
            "arn:aws:rds:us-east-1:123456789012:cluster:${C}", {"C": cluster.ref}
        ),
        document_db_event_source_config=lam.CfnEventSourceMapping.DocumentDBEventSourceConfigProperty(
            database_name="db"
        ),
    )
    s = stack("Rest")
    apigw.LambdaRestApi(s, "Api", handler=fn(s))
    s = stack("Http")
    http = apigwv2.HttpApi(s, "Api")
    http.add_routes(
        path="/orders",
        methods=[apigwv2.HttpMethod.POST],
        integration=v2int.HttpLambdaIntegration("Int", fn(s)),
    )
    s = stack("Url")
    fn(s).add_function_url(auth_type=lam.FunctionUrlAuthType.NONE)
    s = stack("Alb")
    elbv2.ApplicationTargetGroup(s, "Tg", targets=[elbt.LambdaTarget(fn(s))])
    s = stack("Sns")
    fn(s).add_event_source(es.SnsEventSource(sns.Topic(s, "Topic")))
    s = stack("S3")
    fn(s).add_event_source(
        es.S3EventSource(s3.Bucket(s, "B"), events=[s3.EventType.OBJECT_CREATED])
    )
    s = stack("Rule")
    events.Rule(
        s,
        "R",
        event_pattern=events.EventPattern(source=["shop"]),
        targets=[targets.LambdaFunction(fn(s))],
    )
    s = stack("Schedule")
    events.Rule(
        s,
        "R",
        schedule=events.Schedule.rate(cdk.Duration.hours(1)),
        targets=[targets.LambdaFunction(fn(s))],
    )
    s = stack("Scheduler")
    role = iam.Role(s, "SchedRole", assumed_by=iam.ServicePrincipal("scheduler.amazonaws.com"))
    scheduler.CfnSchedule(
        s,
        "Sched",
        schedule_expression="rate(1 hour)",
        flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
        target=scheduler.CfnSchedule.TargetProperty(arn=fn(s).function_arn, role_arn=role.role_arn),
    )
    s = stack("Pipe")
    role = iam.Role(s, "PipeRole", assumed_by=iam.ServicePrincipal("pipes.amazonaws.com"))
    pipes.CfnPipe(
        s,
        "P",
        role_arn=role.role_arn,
        source=sqs.Queue(s, "Q").queue_arn,
        target=fn(s).function_arn,
    )
    s = stack("Iot")
    iot.CfnTopicRule(
        s,
        "TR",
        topic_rule_payload=iot.CfnTopicRule.TopicRulePayloadProperty(
            sql="SELECT * FROM 'devices/+'",
            actions=[
                iot.CfnTopicRule.ActionProperty(
                    lambda_=iot.CfnTopicRule.LambdaActionProperty(function_arn=fn(s).function_arn)
                )
            ],
        ),
    )
    s = stack("Ses")
    ses.ReceiptRuleSet(
        s, "RS", rules=[ses.ReceiptRuleOptions(actions=[ses_actions.Lambda(function=fn(s))])]
    )
    s = stack("Cognito")
    cognito.UserPool(s, "Pool", lambda_triggers=cognito.UserPoolTriggers(pre_sign_up=fn(s)))
    s = stack("AppSync")
    api = appsync.CfnGraphQLApi(s, "Api", authentication_type="API_KEY", name="api")
    role = iam.Role(s, "DsRole", assumed_by=iam.ServicePrincipal("appsync.amazonaws.com"))
    appsync.CfnDataSource(
        s,
        "Ds",
        api_id=api.attr_api_id,
        name="ds",
        type="AWS_LAMBDA",
        service_role_arn=role.role_arn,
        lambda_config=appsync.CfnDataSource.LambdaConfigProperty(
            lambda_function_arn=fn(s).function_arn
        ),
    )
    s = stack("StepFunctions")
    sfn.StateMachine(
        s,
        "SM",
        definition_body=sfn.DefinitionBody.from_chainable(
            tasks.LambdaInvoke(s, "Invoke", lambda_function=fn(s))
        ),
    )
    s = stack("Logs")
    logs.SubscriptionFilter(
        s,
        "Sub",
        log_group=logs.LogGroup(s, "LG"),
        destination=log_dest.LambdaDestination(fn(s)),
        filter_pattern=logs.FilterPattern.all_events(),
    )
    s = stack("Firehose")
    role = iam.Role(s, "FhRole", assumed_by=iam.ServicePrincipal("firehose.amazonaws.com"))
    firehose.CfnDeliveryStream(
        s,
        "DS",
        extended_s3_destination_configuration=firehose.CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty(
            bucket_arn=s3.Bucket(s, "B").bucket_arn,
            role_arn=role.role_arn,
            processing_configuration=firehose.CfnDeliveryStream.ProcessingConfigurationProperty(
                enabled=True,
                processors=[
                    firehose.CfnDeliveryStream.ProcessorProperty(
                        type="Lambda",
                        parameters=[
                            firehose.CfnDeliveryStream.ProcessorParameterProperty(
                                parameter_name="LambdaArn", parameter_value=fn(s).function_arn
                            )
                        ],
                    )
                ],
            ),
        ),
    )
    s = stack("Lex")
    lex.CfnBotAlias(
        s,
        "Alias",
        bot_id="BOTID",
        bot_alias_name="live",
        bot_alias_locale_settings=[
            lex.CfnBotAlias.BotAliasLocaleSettingsItemProperty(
                locale_id="en_US",
                bot_alias_locale_setting=lex.CfnBotAlias.BotAliasLocaleSettingsProperty(
                    enabled=True,
                    code_hook_specification=lex.CfnBotAlias.CodeHookSpecificationProperty(
                        lambda_code_hook=lex.CfnBotAlias.LambdaCodeHookProperty(
                            code_hook_interface_version="1.0", lambda_arn=fn(s).function_arn
                        )
                    ),
                ),
            )
        ],
    )
    s = stack("Rotation")
    sm.Secret(s, "Secret").add_rotation_schedule("Rot", rotation_lambda=fn(s))
    s = stack("Grants")
    f = fn(s)
    f.grant_invoke(iam.AccountPrincipal("111122223333"))
    f.add_permission("Anyone", principal=iam.AnyPrincipal())
    s = stack("Nested")
    nested = cdk.NestedStack(s, "Inner")
    fn(nested).add_event_source(es.SqsEventSource(sqs.Queue(nested, "Q")))
    producer = stack("Producer")
    queue = sqs.Queue(producer, "SharedQueue")
    s = stack("Consumer")
    fn(s).add_event_source(es.SqsEventSource(queue))
    return app


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory):
    """The app synthesized once: (cdk.out path, audit report)."""
    import aws_cdk as cdk

    from eventguard.aspects.engine import audit
    from eventguard.aspects.model import load

    out = tmp_path_factory.mktemp("entrypoints") / "cdk.out"
    app = cdk.App(
        outdir=str(out),
        context={"aws:cdk:enable-path-metadata": True, "aws:cdk:enable-asset-metadata": True},
        builtin_cloud_formation_validation=False,
    )
    build(app)
    app.synth()
    return str(out), audit(load(str(out)))


def _points(report, stack):
    return [
        p for p in report.entry_points if p["stack"] == stack or p["stack"].startswith(f"{stack}/")
    ]


@pytest.mark.slow
@pytest.mark.parametrize("stack", sorted(EXPECTED))
def test_entry_point_is_found_and_unguarded(synthesized, stack):
    _, report = synthesized
    points = [p for p in _points(report, stack) if p["source_type"] != "cloudformation"]
    assert points, f"no entry point found in {stack}"
    assert EXPECTED[stack] <= {p["source_type"] for p in points}
    for point in points:
        assert point["function"], point
        assert point["function_path"].endswith("/Fn/Resource"), point
        assert point["status"] == "unguarded"
        assert "EventGuard-UnguardedEntryPoint" in point["rules_failed"]
    errors = {(f.rule, f.function_path) for f in report.errors}
    assert ("EventGuard-UnguardedEntryPoint", points[0]["function_path"]) in errors


@pytest.mark.slow
def test_every_stack_is_audited_and_helpers_pass(synthesized):
    _, report = synthesized
    assert set(EXPECTED) <= {s.split("/")[0] for s in report.stacks}
    helpers = [p for p in report.entry_points if p["cdk_helper"]]
    assert helpers and all(p["status"] == "cdk-helper" for p in helpers)  # S3 notifications handler
    assert not [f for f in report.findings if "the rule failed" in f.message]


@pytest.mark.slow
def test_nested_stack_function_is_resolved(synthesized):
    _, report = synthesized
    (point,) = [p for p in _points(report, "Nested") if p["source_type"] == "sqs"]
    assert point["stack"] != "Nested" and point["function_path"].startswith("Nested/Inner/")


@pytest.mark.slow
def test_weak_settings_are_reported(synthesized):
    _, report = synthesized
    by_rule = {}
    for finding in report.findings:
        by_rule.setdefault(finding.rule, set()).add(finding.path.split("/")[0])
    assert (
        "Url" in by_rule["EventGuard-PublicEntryPoint"]
        and "Rest" in by_rule["EventGuard-PublicEntryPoint"]
    )
    assert "Grants" in by_rule["EventGuard-ConfusedDeputy"]
    assert (
        "Sqs" in by_rule["EventGuard-PartialBatchResponse"]
        and "Sqs" in by_rule["EventGuard-SourceQueueRedrive"]
    )
    assert "Sns" in by_rule["EventGuard-AsyncFailureDestination"]
    assert "Sqs" in by_rule["EventGuard-WildcardPermissions"]  # AWSLambdaBasicExecutionRole
    # a pipe delivers events of its own shape; DocumentDB change streams have a runtime source
    assert "Pipe" in by_rule["EventGuard-UninspectableEntryPoint"]
    assert "DocDb" not in by_rule["EventGuard-UninspectableEntryPoint"]
