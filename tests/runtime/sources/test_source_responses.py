"""What each source answers for a blocked event (never echoing the request), and the origin ids
it reports for origin verification."""

from __future__ import annotations

import json

import pytest

from eventguard.runtime import sources
from eventguard.runtime.sources import (
    alb,
    api_http,
    api_rest,
    api_websocket,
    apigw_authorizer,
    appsync,
    appsync_authorizer,
    appsync_events,
    cloudformation,
    cognito,
    connect,
    function_url,
    lex,
    s3_batch,
    ses,
)

M = "EgMark4821"

HTTP_SAMPLES = [
    (api_rest, "api-rest/apigw-rest-v1--sam-cli--AwsProxy.json"),
    (api_http, "api-http/apigw-http-v2--sam-cli--HttpApi.json"),
    (function_url, "function-url/aws-lambda-go--lambda-urls-request.json"),
    (api_websocket, "api-websocket/apigw-websocket--aws-lambda-go--apigw-websocket-request.json"),
]


@pytest.mark.parametrize(("module", "sample"), HTTP_SAMPLES, ids=lambda x: getattr(x, "ID", ""))
def test_http_blocked_response_is_a_json_403_without_the_request(kit, module, sample) -> None:
    event = kit.put(kit.load(sample), "body", f"<script>{M}</script>")
    response = module.blocked_response(event, None, "req-42")
    assert response["statusCode"] == 403
    assert response["headers"] == {"Content-Type": "application/json"}
    assert json.loads(response["body"]) == {"message": "Forbidden", "requestId": "req-42"}
    assert M not in json.dumps(response)
    error = module.error_response(event, 500, "req-42")
    assert error["statusCode"] == 500 and M not in json.dumps(error)


def test_alb_blocked_response_has_status_description(kit) -> None:
    single = alb.blocked_response(kit.load("alb/sam-cli--ALBRequest.json"), None, "r")
    assert single["statusDescription"] == "403 Forbidden"
    assert single["headers"] == {"Content-Type": "application/json"}
    multi = alb.blocked_response(
        kit.load("alb/aws-lambda-go--alb-lambda-target-request-multivalue-headers.json"), None, "r"
    )
    assert multi["multiValueHeaders"] == {"Content-Type": ["application/json"]}
    assert "headers" not in multi


@pytest.mark.parametrize(
    "sample",
    [
        "apigw-authorizer/apigw-authorizer-token--sam-cli--ApiGatewayAuthorizer.json",
        "apigw-authorizer/apigw-authorizer-request-v1--sam-cli--ApiGatewayRestRequestAuthorizer.json",
        "apigw-authorizer/apigw-authorizer-request-v2--aws-lambda-go--apigw-v2-custom-authorizer-v2-request.json",
    ],
)
def test_authorizer_blocked_response_is_a_deny_policy(kit, sample) -> None:
    event = kit.load(sample)
    response = apigw_authorizer.blocked_response(event, None, "r")
    (statement,) = response["policyDocument"]["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Resource"] == event.get("methodArn", event.get("routeArn"))
    assert response.get("isAuthorized", False) is False
    assert ("isAuthorized" in response) == (event.get("version") == "2.0")


@pytest.mark.parametrize(
    ("module", "sample"),
    [
        (
            cognito,
            "cognito/cognito-pre-signup--aws-lambda-go--cognito-event-userpools-presignup.json",
        ),
        (appsync, "appsync/appsync-resolver--sam-cli--AppSyncDirectResolver.json"),
        (connect, "connect/connect-contact-flow--aws-lambda-go--connect-event.json"),
    ],
)
def test_rejects_by_raising_permission_error(kit, module, sample) -> None:
    with pytest.raises(PermissionError):
        module.blocked_response(kit.load(sample), None, "r")


def test_lex_blocked_response_closes_the_dialog_as_failed(kit) -> None:
    v1 = lex.blocked_response(kit.load("lex/lex-v1--sam-cli--LexBookCar.json"), None, "r")
    assert v1["dialogAction"]["type"] == "Close"
    assert v1["dialogAction"]["fulfillmentState"] == "Failed"
    v2 = lex.blocked_response(kit.load("lex/lex-v2--sam-cli--BankingBot.json"), None, "r")
    assert v2["sessionState"]["dialogAction"]["type"] == "Close"
    assert v2["sessionState"]["intent"] == {"name": "CheckBalance", "state": "Failed"}


def test_other_sync_answers(kit) -> None:
    assert appsync_authorizer.blocked_response({}, None, "r") == {"isAuthorized": False}
    assert ses.blocked_response({}, None, "r") == {"disposition": "STOP_RULE_SET"}
    publish = kit.load("appsync-events/own--publish.json")
    assert appsync_events.blocked_response(publish, None, "r") == {
        "events": [],
        "error": "Forbidden",
    }
    subscribe = kit.load("appsync-events/own--subscribe.json")
    assert appsync_events.blocked_response(subscribe, None, "r") == {"error": "Forbidden"}
    batch = kit.load("s3-batch/s3-batch-v2--aws-lambda-go--s3-batch-job-event-request-2.0.json")
    answer = s3_batch.blocked_response(batch, None, "r")
    assert [r["resultCode"] for r in answer["results"]] == ["PermanentFailure"]
    assert answer["results"][0]["taskId"] == batch["tasks"][0]["taskId"]
    cfn = kit.load("cloudformation/cloudformation-custom-resource--sam-cli--CfnCreateRequest.json")
    failed = cloudformation.blocked_response(cfn, None, "r")
    assert failed["Status"] == "FAILED" and failed["RequestId"] == cfn["RequestId"]


@pytest.mark.parametrize("url", [None, "..."])
def test_rejects_a_provider_framework_request_by_raising(kit, url) -> None:
    """The CDK Provider framework answers CloudFormation itself: no URL (or its "..." stand-in)
    reaches the function, so a blocked request must fail the onEvent handler."""
    event = kit.load("cloudformation/own--provider-framework-request.json")
    if url is not None:
        event["ResponseURL"] = url
    with pytest.raises(PermissionError):
        cloudformation.blocked_response(event, None, "r")


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("sqs/sam-cli--Sqs.json", {"arn:aws:sqs:us-east-1:123456789012:MyQueue"}),
        ("sns/sam-cli--Sns.json", {"arn:aws:sns:us-east-1:123456789012:ExampleTopic"}),
        ("s3/sam-cli--S3Put.json", {"example-bucket"}),
        ("kinesis/sam-cli--Kinesis.json", {"arn:aws:kinesis:EXAMPLE"}),
        ("api-rest/apigw-rest-v1--sam-cli--AwsProxy.json", {"1234567890"}),
        ("function-url/aws-lambda-go--lambda-urls-request.json", {"<url-id>"}),
        (
            "cognito/cognito-pre-signup--aws-lambda-go--cognito-event-userpools-presignup.json",
            {"<userPoolId>"},
        ),
        (
            "scheduled/eventbridge-scheduled--sam-cli--ScheduledEvent.json",
            {"arn:aws:events:us-east-1:123456789012:rule/ExampleRule"},
        ),
        ("eventbridge/own--custom-putevents.json", set()),
        (
            "kafka/kafka-msk--aws-lambda-go--kafka-event.json",
            {
                "arn:aws:kafka:us-west-2:012345678901:cluster/ExampleMSKCluster/e9f754c6-d29a-4430-a7db-958a19fd2c54-4"
            },
        ),
        ("cloudwatch-logs/sam-cli--CloudwatchLogs.json", {"testLogGroup"}),
        (
            "apigw-authorizer/apigw-authorizer-token--sam-cli--ApiGatewayAuthorizer.json",
            {"example"},
        ),
        (
            "s3-batch/s3-batch-v2--aws-lambda-go--s3-batch-job-event-request-2.0.json",
            {"awsexamplebucket"},
        ),
    ],
)
def test_origins(kit, sample, expected) -> None:
    event = kit.load(sample)
    assert sources.identify(event).origins(event) == expected
