"""Find every entry point of a synthesized app: a resource through which an event reaches a
Lambda function, whoever created it (CDK constructs, L1 resources, SAM, hand-written JSON).

One extractor per resource type, registered in ``EXTRACTORS``. An extractor yields
``(source type, function value, origin resource value, detail)``; the function value is resolved
with ``resolve.function_targets`` so that every entry point names the function it reaches, or the
reason it cannot be told.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .model import Assembly, Resource
from .resolve import Target, classify, function_targets, render, resource_of

# the source type an AWS service principal delivers, in the runtime's source type ids
PRINCIPAL_SOURCES: Mapping[str, str] = {
    "apigateway": "api-rest",
    "sns": "sns",
    "s3": "s3",
    "events": "eventbridge",
    "iot": "iot",
    "ses": "ses",
    "logs": "cloudwatch-logs",
    "cognito-idp": "cognito",
    "elasticloadbalancing": "alb",
    "secretsmanager": "secrets-rotation",
    "config": "config",
    "lex": "lex",
    "connect": "connect",
    "codecommit": "codecommit",
    "appsync": "appsync",
    "firehose": "firehose",
    "scheduler": "scheduled",
    "pipes": "pipes",
    "states": "direct",
    "batchoperations.s3": "s3-batch",
    "cloudformation": "cloudformation",
    "sms-voice": "sms",
    "mq": "mq",
    "kafka": "kafka",
}
ESM_SOURCES: Mapping[str, str] = {
    "AWS::SQS::Queue": "sqs",
    "AWS::Kinesis::Stream": "kinesis",
    "AWS::DynamoDB::Table": "dynamodb-stream",
    "AWS::DynamoDB::GlobalTable": "dynamodb-stream",
    "AWS::MSK::Cluster": "kafka",
    "AWS::MSK::ServerlessCluster": "kafka",
    "AWS::AmazonMQ::Broker": "mq",
    "AWS::DocDB::DBCluster": "docdb",
}
_ARN_SERVICES = {
    "sqs": "sqs",
    "kinesis": "kinesis",
    "dynamodb": "dynamodb-stream",
    "kafka": "kafka",
    "mq": "mq",
    "rds": "docdb",
}
BATCH_SOURCES = ("sqs", "kinesis", "dynamodb-stream", "kafka", "mq", "docdb")
STREAM_SOURCES = ("kinesis", "dynamodb-stream")


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """An event path into a function: from ``resource``, of ``source_type``, to ``target``."""

    source_type: str
    resource: Resource
    target: Target
    detail: str = ""
    origin: Resource | None = None
    principal: str = ""


Found = tuple[str, Any, Any, str]  # source type, function value, origin value, detail
Extractor = Callable[[Resource], Iterator[Found]]


def principal_source(principal: str) -> str:
    """The source type for an invoke permission principal (a service, an account, ``*``)."""
    if principal.endswith(".amazonaws.com") or principal.endswith(".amazonaws.com.cn"):
        service = principal.split(".amazonaws.com")[0]
        if service.startswith("logs."):
            service = "logs"
        return PRINCIPAL_SOURCES.get(service, f"service:{service}")
    return "direct"


def _esm(r: Resource) -> Iterator[Found]:
    arn = r.prop("EventSourceArn")
    source = ""
    origin = resource_of(arn, r.template)
    if origin is not None:
        source = ESM_SOURCES.get(origin.type, "")
    if not source:
        text = render(arn, r.template) or ""
        parts = text.split(":")
        if len(parts) > 2:
            source = _ARN_SERVICES.get(parts[2], "")
    if (
        r.prop("SelfManagedEventSource") is not None
        or r.prop("AmazonManagedKafkaEventSourceConfig") is not None
    ):
        source = "kafka"
    if r.prop("DocumentDBEventSourceConfig") is not None:
        source = "docdb"
    yield source or "unknown", r.prop("FunctionName"), arn, "event source mapping"


INVOKE_ACTIONS = (
    "lambda:invokefunction",
    "lambda:invokefunctionurl",
    "lambda:invoke*",
    "lambda:*",
    "*",
)


def _permission(r: Resource) -> Iterator[Found]:
    action = render(r.prop("Action"), r.template)
    if action is not None and action.lower() not in INVOKE_ACTIONS:
        return  # e.g. lambda:GetFunction: grants no way in
    principal = r.prop("Principal")
    text = render(principal, r.template) if principal is not None else None
    source = principal_source(text) if text else "unknown"
    origin_value = r.prop("SourceArn")
    if source == "api-rest":
        api = None
        for value in [origin_value]:
            from .resolve import references

            for logical_id, _attr in references(value):
                candidate = r.template.get(logical_id)
                if candidate is not None and candidate.type.startswith("AWS::ApiGateway"):
                    api = candidate
        if api is not None and api.type == "AWS::ApiGatewayV2::Api":
            source = "api-websocket" if api.prop("ProtocolType") == "WEBSOCKET" else "api-http"
    if source == "eventbridge":
        rule = resource_of(origin_value, r.template)
        if rule is not None and rule.prop("ScheduleExpression") is not None:
            source = "scheduled"
    url_auth = r.prop("FunctionUrlAuthType")
    if url_auth is not None or r.prop("InvokedViaFunctionUrl") is True:
        source = "function-url"
    yield (
        source,
        r.prop("FunctionName"),
        origin_value,
        f"invoke permission for {text or principal!r}",
    )


def _url(r: Resource) -> Iterator[Found]:
    yield (
        "function-url",
        r.prop("TargetFunctionArn"),
        None,
        f"function URL, auth {r.prop('AuthType')}",
    )


def _rest_method(r: Resource) -> Iterator[Found]:
    integration = r.prop("Integration")
    if not isinstance(integration, Mapping):
        return
    if integration.get("Type") not in ("AWS", "AWS_PROXY"):
        return
    uri = integration.get("Uri")
    kind = classify(uri, r.template)
    text = render(uri, r.template)
    if kind == "function" or (text and ":lambda:path/" in text) or _mentions(uri, ":lambda:path/"):
        method = r.prop("HttpMethod")
        yield "api-rest", _lambda_from_uri(uri), r.prop("RestApiId"), f"REST method {method}"


def _mentions(value: Any, needle: str) -> bool:
    if isinstance(value, str):
        return needle in value
    if isinstance(value, Mapping):
        return any(_mentions(v, needle) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, needle) for v in value)
    return False


def _lambda_from_uri(uri: Any) -> Any:
    """The function part of an API Gateway integration URI (``.../functions/ARN/invocations``)."""
    if isinstance(uri, str) and "/functions/" in uri:
        return uri.split("/functions/", 1)[1].split("/invocations", 1)[0]
    return uri


def _rest_authorizer(r: Resource) -> Iterator[Found]:
    uri = r.prop("AuthorizerUri")
    if uri is not None:
        yield (
            "apigw-authorizer",
            _lambda_from_uri(uri),
            r.prop("RestApiId"),
            f"REST authorizer {r.prop('Type')}",
        )


def _v2_source(api_value: Any, r: Resource) -> str:
    api = resource_of(api_value, r.template)
    if api is not None and api.prop("ProtocolType") == "WEBSOCKET":
        return "api-websocket"
    return "api-http"


def _v2_integration(r: Resource) -> Iterator[Found]:
    if r.prop("IntegrationType") != "AWS_PROXY":
        return
    uri = r.prop("IntegrationUri")
    if classify(uri, r.template) == "other":
        return
    yield _v2_source(r.prop("ApiId"), r), _lambda_from_uri(uri), r.prop("ApiId"), "API integration"


def _v2_api(r: Resource) -> Iterator[Found]:
    target = r.prop("Target")
    if target is not None and classify(target, r.template) != "other":
        yield _v2_source({"Ref": r.logical_id}, r), target, None, "API quick-create target"


def _v2_authorizer(r: Resource) -> Iterator[Found]:
    uri = r.prop("AuthorizerUri")
    if uri is not None and r.prop("AuthorizerType") == "REQUEST":
        yield (
            "apigw-authorizer",
            _lambda_from_uri(uri),
            r.prop("ApiId"),
            "API authorizer",
        )


HTTP_METHODS = (
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "x-amazon-apigateway-any-method",
)


def openapi_operations(r: Resource) -> Iterator[tuple[str, str, Mapping[str, Any], Any]]:
    """``(path, method, operation, integration uri)`` of an inline OpenAPI ``Body`` (SAM and
    ``SpecRestApi`` put the API there instead of Method/Route resources)."""
    body = r.prop("Body")
    paths = body.get("paths") if isinstance(body, Mapping) else None
    if not isinstance(paths, Mapping):
        return
    for path, methods in paths.items():
        if not isinstance(methods, Mapping):
            continue
        for method, operation in methods.items():
            if str(method).lower() not in HTTP_METHODS or not isinstance(operation, Mapping):
                continue
            integration = operation.get("x-amazon-apigateway-integration")
            if not isinstance(integration, Mapping):
                continue
            if str(integration.get("type", "")).lower() not in ("aws", "aws_proxy"):
                continue
            uri = integration.get("uri")
            if classify(uri, r.template) == "other" and not _mentions(uri, ":lambda:path/"):
                continue
            yield str(path), str(method), operation, uri


def _openapi(r: Resource) -> Iterator[Found]:
    if r.type == "AWS::ApiGatewayV2::Api":
        source = "api-websocket" if r.prop("ProtocolType") == "WEBSOCKET" else "api-http"
        yield from _v2_api(r)
    else:
        source = "api-rest"
    for path, method, _operation, uri in openapi_operations(r):
        yield (
            source,
            _lambda_from_uri(uri),
            {"Ref": r.logical_id},
            f"OpenAPI {method.upper()} {path}",
        )


def _target_group(r: Resource) -> Iterator[Found]:
    if r.prop("TargetType") != "lambda":
        return
    targets = r.prop("Targets")
    for target in targets if isinstance(targets, list) else [None]:
        value = target.get("Id") if isinstance(target, Mapping) else None
        yield "alb", value, None, "ALB target group"


def _sns_subscription(r: Resource) -> Iterator[Found]:
    if r.prop("Protocol") == "lambda":
        yield "sns", r.prop("Endpoint"), r.prop("TopicArn"), "SNS subscription"


def _sns_topic(r: Resource) -> Iterator[Found]:
    subs = r.prop("Subscription")
    for sub in subs if isinstance(subs, list) else []:
        if isinstance(sub, Mapping) and sub.get("Protocol") == "lambda":
            yield "sns", sub.get("Endpoint"), {"Ref": r.logical_id}, "SNS topic subscription"


def _bucket_notifications(r: Resource) -> Iterator[Found]:
    config = r.prop("NotificationConfiguration")
    configs = config.get("LambdaFunctionConfigurations") if isinstance(config, Mapping) else None
    for item in configs if isinstance(configs, list) else []:
        if isinstance(item, Mapping):
            events = item.get("Events")
            yield (
                "s3",
                item.get("LambdaFunctionArn"),
                r.prop("BucketName"),
                f"S3 notification {events}",
            )
    yield from _custom_resource(r)


def _bucket(r: Resource) -> Iterator[Found]:
    config = r.prop("NotificationConfiguration")
    configs = config.get("LambdaConfigurations") if isinstance(config, Mapping) else None
    for item in configs if isinstance(configs, list) else []:
        if isinstance(item, Mapping):
            yield (
                "s3",
                item.get("Function"),
                {"Ref": r.logical_id},
                f"S3 notification {item.get('Event')}",
            )


def _events_rule(r: Resource) -> Iterator[Found]:
    source = "scheduled" if r.prop("ScheduleExpression") is not None else "eventbridge"
    targets = r.prop("Targets")
    for target in targets if isinstance(targets, list) else []:
        if not isinstance(target, Mapping):
            continue
        arn = target.get("Arn")
        if classify(arn, r.template) == "other":
            continue
        yield source, arn, r.prop("EventBusName"), f"rule target {target.get('Id')}"


def _schedule(r: Resource) -> Iterator[Found]:
    arn = r.prop("Target", "Arn")
    if classify(arn, r.template) != "other":
        yield "scheduled", arn, None, "EventBridge Scheduler target"


def _pipe(r: Resource) -> Iterator[Found]:
    for key in ("Enrichment", "Target"):
        arn = r.prop(key)
        if arn is not None and classify(arn, r.template) != "other":
            yield "pipes", arn, r.prop("Source"), f"pipe {key.lower()}"


def _topic_rule(r: Resource) -> Iterator[Found]:
    payload = r.prop("TopicRulePayload")
    if not isinstance(payload, Mapping):
        return
    actions = list(payload.get("Actions") or [])
    if isinstance(payload.get("ErrorAction"), Mapping):
        actions.append(payload["ErrorAction"])
    for action in actions:
        if isinstance(action, Mapping) and isinstance(action.get("Lambda"), Mapping):
            yield (
                "iot",
                action["Lambda"].get("FunctionArn"),
                None,
                f"IoT rule {payload.get('Sql', '')}",
            )


def _receipt_rule(r: Resource) -> Iterator[Found]:
    actions = r.prop("Rule", "Actions")
    for action in actions if isinstance(actions, list) else []:
        if isinstance(action, Mapping) and isinstance(action.get("LambdaAction"), Mapping):
            yield "ses", action["LambdaAction"].get("FunctionArn"), None, "SES receipt rule"


def _user_pool(r: Resource) -> Iterator[Found]:
    config = r.prop("LambdaConfig")
    if not isinstance(config, Mapping):
        return
    for trigger, value in config.items():
        if trigger == "KMSKeyID":
            continue
        if isinstance(value, Mapping) and "LambdaArn" in value:
            value = value["LambdaArn"]
        yield "cognito", value, None, f"Cognito trigger {trigger}"


def _appsync_source(r: Resource) -> Iterator[Found]:
    if r.prop("Type") == "AWS_LAMBDA":
        yield (
            "appsync",
            r.prop("LambdaConfig", "LambdaFunctionArn"),
            r.prop("ApiId"),
            "AppSync data source",
        )


def _appsync_api(r: Resource) -> Iterator[Found]:
    configs = [r.prop("LambdaAuthorizerConfig")]
    extra = r.prop("AdditionalAuthenticationProviders")
    for item in extra if isinstance(extra, list) else []:
        if isinstance(item, Mapping):
            configs.append(item.get("LambdaAuthorizerConfig"))
    for config in configs:
        if isinstance(config, Mapping) and config.get("AuthorizerUri") is not None:
            yield (
                "appsync-authorizer",
                config["AuthorizerUri"],
                {"Ref": r.logical_id},
                "AppSync authorizer",
            )


def _state_machine(r: Resource) -> Iterator[Found]:
    seen: set[str] = set()
    for key in ("DefinitionString", "Definition", "DefinitionSubstitutions"):
        value = r.prop(key)
        if value is None:
            continue
        from .resolve import references

        for logical_id, attr in references(value):
            resource = r.template.get(logical_id)
            if resource is None or logical_id in seen:
                continue
            ref = {"Ref": logical_id} if not attr else {"Fn::GetAtt": [logical_id, attr]}
            if classify(ref, r.template) == "function":
                seen.add(logical_id)
                yield "direct", ref, None, "Step Functions task"
        for text in _strings(value):
            if ":function:" in text and "arn:" in text:
                yield (
                    "direct",
                    text[text.index("arn:") :].split('"')[0],
                    None,
                    "Step Functions task",
                )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _subscription_filter(r: Resource) -> Iterator[Found]:
    arn = r.prop("DestinationArn")
    if classify(arn, r.template) != "other":
        yield (
            "cloudwatch-logs",
            arn,
            None,
            f"log subscription of {render(r.prop('LogGroupName'), r.template) or 'a log group'}",
        )


def _firehose(r: Resource) -> Iterator[Found]:
    for key, config in r.properties.items():
        if not key.endswith("DestinationConfiguration") or not isinstance(config, Mapping):
            continue
        processing = config.get("ProcessingConfiguration")
        processors = processing.get("Processors") if isinstance(processing, Mapping) else None
        for processor in processors if isinstance(processors, list) else []:
            if not isinstance(processor, Mapping) or processor.get("Type") != "Lambda":
                continue
            for param in processor.get("Parameters") or []:
                if isinstance(param, Mapping) and param.get("ParameterName") == "LambdaArn":
                    yield "firehose", param.get("ParameterValue"), None, "Firehose processor"


def _lex(r: Resource) -> Iterator[Found]:
    for value in _find_key(r.properties, "LambdaArn"):
        yield "lex", value, None, "Lex code hook"


def _find_key(value: Any, key: str) -> Iterator[Any]:
    if isinstance(value, Mapping):
        for k, item in value.items():
            if k == key:
                yield item
            else:
                yield from _find_key(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _find_key(item, key)


def _custom_resource(r: Resource) -> Iterator[Found]:
    token = r.prop("ServiceToken")
    if token is not None and classify(token, r.template) != "other":
        yield "cloudformation", token, None, f"custom resource {r.type}"


def _rotation(r: Resource) -> Iterator[Found]:
    arn = r.prop("RotationLambdaARN")
    if arn is not None:
        yield "secrets-rotation", arn, r.prop("SecretId"), "secret rotation"


def _config_rule(r: Resource) -> Iterator[Found]:
    if r.prop("Source", "Owner") == "CUSTOM_LAMBDA":
        yield "config", r.prop("Source", "SourceIdentifier"), None, "Config custom rule"


def _codecommit(r: Resource) -> Iterator[Found]:
    triggers = r.prop("Triggers")
    for trigger in triggers if isinstance(triggers, list) else []:
        if (
            isinstance(trigger, Mapping)
            and classify(trigger.get("DestinationArn"), r.template) != "other"
        ):
            yield (
                "codecommit",
                trigger.get("DestinationArn"),
                {"Ref": r.logical_id},
                "CodeCommit trigger",
            )


def _invoke_config(r: Resource) -> Iterator[Found]:
    for outcome in ("OnSuccess", "OnFailure"):
        dest = r.prop("DestinationConfig", outcome, "Destination")
        if dest is not None and classify(dest, r.template) == "function":
            yield "direct", dest, None, f"Lambda destination {outcome}"


def _iot_authorizer(r: Resource) -> Iterator[Found]:
    yield "iot-authorizer", r.prop("AuthorizerFunctionArn"), None, "IoT custom authorizer"


def _distribution(r: Resource) -> Iterator[Found]:
    config = r.prop("DistributionConfig")
    if not isinstance(config, Mapping):
        return
    behaviors = [config.get("DefaultCacheBehavior")]
    extra = config.get("CacheBehaviors")
    behaviors += extra if isinstance(extra, list) else []
    for behavior in behaviors:
        if not isinstance(behavior, Mapping):
            continue
        associations = behavior.get("LambdaFunctionAssociations")
        for item in associations if isinstance(associations, list) else []:
            if isinstance(item, Mapping):
                event = item.get("EventType", "")
                yield "lambda-edge", item.get("LambdaFunctionARN"), None, f"Lambda@Edge {event}"


def _object_lambda(r: Resource) -> Iterator[Found]:
    for value in _find_key(r.properties, "FunctionArn"):
        yield "s3-object-lambda", value, None, "S3 Object Lambda access point"


EXTRACTORS: Mapping[str, Extractor] = {
    "AWS::Lambda::EventSourceMapping": _esm,
    "AWS::Lambda::Permission": _permission,
    "AWS::Lambda::Url": _url,
    "AWS::Lambda::EventInvokeConfig": _invoke_config,
    "AWS::ApiGateway::Method": _rest_method,
    "AWS::ApiGateway::Authorizer": _rest_authorizer,
    "AWS::ApiGatewayV2::Integration": _v2_integration,
    "AWS::ApiGatewayV2::Api": _openapi,
    "AWS::ApiGateway::RestApi": _openapi,
    "AWS::ApiGatewayV2::Authorizer": _v2_authorizer,
    "AWS::ElasticLoadBalancingV2::TargetGroup": _target_group,
    "AWS::SNS::Subscription": _sns_subscription,
    "AWS::SNS::Topic": _sns_topic,
    "Custom::S3BucketNotifications": _bucket_notifications,
    "AWS::S3::Bucket": _bucket,
    "AWS::Events::Rule": _events_rule,
    "AWS::Scheduler::Schedule": _schedule,
    "AWS::Pipes::Pipe": _pipe,
    "AWS::IoT::TopicRule": _topic_rule,
    "AWS::SES::ReceiptRule": _receipt_rule,
    "AWS::Cognito::UserPool": _user_pool,
    "AWS::AppSync::DataSource": _appsync_source,
    "AWS::AppSync::GraphQLApi": _appsync_api,
    "AWS::StepFunctions::StateMachine": _state_machine,
    "AWS::Logs::SubscriptionFilter": _subscription_filter,
    "AWS::KinesisFirehose::DeliveryStream": _firehose,
    "AWS::Lex::Bot": _lex,
    "AWS::Lex::BotAlias": _lex,
    "AWS::SecretsManager::RotationSchedule": _rotation,
    "AWS::Config::ConfigRule": _config_rule,
    "AWS::CodeCommit::Repository": _codecommit,
    "AWS::S3ObjectLambda::AccessPoint": _object_lambda,
    "AWS::IoT::Authorizer": _iot_authorizer,
    "AWS::CloudFront::Distribution": _distribution,
    "AWS::CloudFormation::CustomResource": _custom_resource,
}


def extractor_for(resource_type: str) -> Extractor | None:
    if resource_type in EXTRACTORS:
        return EXTRACTORS[resource_type]
    if resource_type.startswith("Custom::"):
        return _custom_resource
    return None


def of_resource(resource: Resource) -> list[EntryPoint]:
    """The entry points a resource creates, each with the function it reaches (cached)."""
    cache = resource.template.app.cache.setdefault("entry_points", {})
    key = id(resource)
    if key in cache:
        return list(cache[key])
    points: list[EntryPoint] = []
    extractor = extractor_for(resource.type)
    if extractor is not None:
        for source, value, origin_value, detail in extractor(resource):
            origin = (
                resource_of(origin_value, resource.template) if origin_value is not None else None
            )
            principal = ""
            if resource.type == "AWS::Lambda::Permission":
                principal = render(resource.prop("Principal"), resource.template) or ""
            for target in function_targets(value, resource.template):
                points.append(EntryPoint(source, resource, target, detail, origin, principal))
    cache[key] = points
    return list(points)


def all_entry_points(app: Assembly) -> list[EntryPoint]:
    """Every entry point of the app, in template order."""
    out: list[EntryPoint] = []
    for resource in app.resources():
        out.extend(of_resource(resource))
    return out


def reaching(function: Resource) -> list[EntryPoint]:
    """The entry points that reach a function."""
    app = function.template.app
    index = app.cache.get("by_function")
    if index is None:
        index = {}
        for point in all_entry_points(app):
            if point.target.function is not None:
                index.setdefault(id(point.target.function), []).append(point)
        app.cache["by_function"] = index
    return list(index.get(id(function), []))
