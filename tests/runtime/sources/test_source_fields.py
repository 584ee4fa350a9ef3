"""A marker written into each attacker-controlled field of each source, through each encoding
layer, is extracted at the expected path (decoding chain included) and batch record; fields
that are not the attacker's (the peer's own IP, ARNs) are not extracted."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable
from typing import Any

import pytest

M = "EgMark4821"


def b64(text: str | bytes) -> str:
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def set_at(path: str, value: Any) -> Callable[[Any, Any], Any]:
    return lambda kit, event: kit.put(event, path, value)


def http_body(body: str, ctype: str, *, encode: bool = False) -> Callable[[Any, Any], Any]:
    def apply(kit: Any, event: Any) -> Any:
        event["headers"] = {"Content-Type": ctype}
        event.pop("multiValueHeaders", None)
        event["body"] = b64(body) if encode else body
        event["isBase64Encoded"] = encode
        return event

    return apply


def sqs_body(body: str) -> Callable[[Any, Any], Any]:
    return set_at("Records[0].body", body)


SNS_NOTE = {"Type": "Notification", "TopicArn": "arn:aws:sns:us-east-1:1:t", "MessageId": "1"}
S3_EVENT = {
    "Records": [
        {"eventSource": "aws:s3", "s3": {"bucket": {"name": "b"}, "object": {"key": f"a+{M}%3C"}}}
    ]
}
DDB_CHANGE = {
    "eventSource": "aws:dynamodb",
    "dynamodb": {"NewImage": {"note": {"S": M}, "blob": {"B": b64(M)}}},
}
LOGS = {"messageType": "DATA_MESSAGE", "logGroup": "g", "logEvents": [{"id": "1", "message": M}]}
MP = (
    f'--b0undary\r\nContent-Disposition: form-data; name="comment"\r\n\r\n{M}\r\n'
    f'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="{M}.png"\r\n'
    "Content-Type: image/png\r\n\r\nPNG\r\n--b0undary--\r\n"
)

REST = "api-rest/apigw-rest-v1--aws-lambda-go--apigw-request.json"
HTTP = "api-http/apigw-http-v2--sam-cli--HttpApi.json"
URL = "function-url/aws-lambda-go--lambda-urls-request.json"
ALB = "alb/sam-cli--ALBRequest.json"
ALB_MULTI = "alb/aws-lambda-go--alb-lambda-target-request-multivalue-headers.json"
WS = "api-websocket/apigw-websocket--aws-lambda-go--apigw-websocket-request-send-message.json"
AUTH_TOKEN = "apigw-authorizer/apigw-authorizer-token--sam-cli--ApiGatewayAuthorizer.json"
AUTH_V1 = (
    "apigw-authorizer/apigw-authorizer-request-v1--sam-cli--ApiGatewayRestRequestAuthorizer.json"
)
AUTH_V2 = "apigw-authorizer/apigw-authorizer-request-v2--aws-lambda-go--apigw-v2-custom-authorizer-v2-request.json"
APPSYNC = "appsync/appsync-resolver--sam-cli--AppSyncDirectResolver.json"
SQS = "sqs/sam-cli--Sqs.json"
SQS_GO = "sqs/aws-lambda-go--sqs-event.json"
SNS = "sns/sam-cli--Sns.json"
S3 = "s3/sam-cli--S3Put.json"
DDB = "dynamodb-stream/sam-cli--DynamoDBUpdate.json"
KIN = "kinesis/sam-cli--Kinesis.json"
FH = "firehose/kinesis-firehose--sam-cli--KinesisFirehose.json"
KAFKA = "kafka/kafka-msk--aws-lambda-go--kafka-event.json"
AMQ = "mq/mq-activemq--aws-lambda-go--activemq-event.json"
RMQ = "mq/mq-rabbitmq--aws-lambda-go--rabbitmq-event.json"
DOC_INSERT = "docdb/own--insert.json"
DOC_UPDATE = "docdb/own--update-lookup.json"
DOC_BATCH = "docdb/own--delete-and-replace.json"
COG = "cognito/cognito-pre-signup--aws-lambda-go--cognito-event-userpools-presignup.json"
SES = "ses/sam-cli--SesEmailReceiving.json"

CASES: list[tuple[str, str, Callable[[Any, Any], Any], str, int | None]] = [
    # API Gateway REST (v1)
    ("rest path", REST, set_at("path", f"/x/{M}"), "path", None),
    ("rest header", REST, set_at("headers.X-Note", M), "headers.X-Note", None),
    ("rest header name", REST, set_at(f"headers.{M}", "1"), f"headers.{M}<key>", None),
    (
        "rest multi header",
        REST,
        set_at("multiValueHeaders.X-Note", ["a", M]),
        "multiValueHeaders.X-Note[1]",
        None,
    ),
    (
        "rest cookie",
        REST,
        set_at("headers.Cookie", f"a=1; sid={M}"),
        "headers.Cookie<cookie>.sid",
        None,
    ),
    ("rest query", REST, set_at("queryStringParameters.q", M), "queryStringParameters.q", None),
    (
        "rest multi query",
        REST,
        set_at("multiValueQueryStringParameters.q", ["x", M]),
        "multiValueQueryStringParameters.q[1]",
        None,
    ),
    ("rest path param", REST, set_at("pathParameters.proxy", M), "pathParameters.proxy", None),
    (
        "rest user agent",
        REST,
        set_at("requestContext.identity.userAgent", M),
        "requestContext.identity.userAgent",
        None,
    ),
    (
        "rest json body",
        REST,
        http_body(json.dumps({"c": [M]}), "application/json"),
        "body<json>.c[0]",
        None,
    ),
    (
        "rest base64 json body",
        REST,
        http_body(json.dumps({"c": M}), "application/json", encode=True),
        "body<base64><json>.c",
        None,
    ),
    (
        "rest form body",
        REST,
        http_body(f"a=1&comment={M}%21", "application/x-www-form-urlencoded"),
        "body<form>.comment",
        None,
    ),
    (
        "rest multipart value",
        REST,
        http_body(MP, "multipart/form-data; boundary=b0undary"),
        "body<multipart>.comment",
        None,
    ),
    (
        "rest multipart filename",
        REST,
        http_body(MP, "multipart/form-data; boundary=b0undary", encode=True),
        "body<base64><multipart>.file.filename",
        None,
    ),
    (
        "rest xml text",
        REST,
        http_body(f"<a><b>{M}</b></a>", "application/xml"),
        "body<xml>.a/b",
        None,
    ),
    ("rest xml attribute", REST, http_body(f'<a id="{M}"/>', "text/xml"), "body<xml>.a@id", None),
    (
        "rest xml doctype",
        REST,
        http_body(
            f'<!DOCTYPE a [<!ENTITY {M} SYSTEM "file:///etc/passwd">]><a/>', "application/xml"
        ),
        "body<xml>.doctype",
        None,
    ),
    ("rest text body", REST, http_body(f"hello {M}", "text/plain"), "body", None),
    (
        "rest authorizer claims",
        REST,
        set_at("requestContext.authorizer.claims.email", M),
        "requestContext.authorizer.claims.email",
        None,
    ),
    (
        "rest bearer jwt claim",
        REST,
        set_at(
            "headers.Authorization",
            "Bearer "
            + ".".join(
                [b64('{"alg":"none"}').rstrip("="), b64(json.dumps({"name": M})).rstrip("="), "sig"]
            ),
        ),
        "headers.Authorization<jwt>.payload.name",
        None,
    ),
    # HTTP API (v2)
    (
        "http raw query",
        HTTP,
        set_at("rawQueryString", f"a=1&q={M}%27"),
        "rawQueryString<form>.q",
        None,
    ),
    ("http cookie", HTTP, set_at("cookies", ["a=1", f"sid={M}"]), "cookies[1]<cookie>.sid", None),
    ("http header", HTTP, set_at("headers.x-note", M), "headers.x-note", None),
    ("http raw path", HTTP, set_at("rawPath", f"/{M}"), "rawPath", None),
    (
        "http method",
        HTTP,
        set_at("requestContext.http.method", M),
        "requestContext.http.method",
        None,
    ),
    ("http json body", HTTP, set_at("body", json.dumps({"n": {"m": M}})), "body<json>.n.m", None),
    (
        "http url-encoded value in json",
        HTTP,
        set_at("body", json.dumps({"n": f"%3C{M}%3E"})),
        "body<json>.n<url>",
        None,
    ),
    # Function URL
    ("url raw path", URL, set_at("rawPath", f"/{M}"), "rawPath", None),
    (
        "url base64 body",
        URL,
        lambda kit, e: {**e, "body": b64(f"text {M}"), "isBase64Encoded": True},
        "body<base64>",
        None,
    ),
    ("url query", URL, set_at("queryStringParameters.q", M), "queryStringParameters.q", None),
    # ALB
    (
        "alb encoded query",
        ALB,
        set_at("queryStringParameters.q", f"%3C{M}%3E"),
        "queryStringParameters.q<url>",
        None,
    ),
    (
        "alb multi query",
        ALB_MULTI,
        set_at("multiValueQueryStringParameters.q", [f"{M}%27"]),
        "multiValueQueryStringParameters.q[0]<url>",
        None,
    ),
    ("alb header", ALB, set_at("headers.x-note", M), "headers.x-note", None),
    # WebSocket
    (
        "websocket body",
        WS,
        set_at("body", json.dumps({"action": "send", "data": M})),
        "body<json>.data",
        None,
    ),
    # Authorizers
    ("token authorizer", AUTH_TOKEN, set_at("authorizationToken", M), "authorizationToken", None),
    ("request authorizer header", AUTH_V1, set_at("headers.x-note", M), "headers.x-note", None),
    (
        "request authorizer v2 cookie",
        AUTH_V2,
        set_at("cookies", [f"s={M}"]),
        "cookies[0]<cookie>.s",
        None,
    ),
    (
        "request authorizer v2 identity source",
        AUTH_V2,
        set_at("identitySource", [M]),
        "identitySource[0]",
        None,
    ),
    # AppSync
    (
        "appsync argument",
        APPSYNC,
        set_at("arguments.input", {"name": M}),
        "arguments.input.name",
        None,
    ),
    (
        "appsync header",
        APPSYNC,
        set_at("request.headers.x-note", M),
        "request.headers.x-note",
        None,
    ),
    (
        "appsync batch",
        "appsync/own--batch-resolver.json",
        set_at("[1].arguments.id", M),
        "[1].arguments.id",
        None,
    ),
    (
        "appsync nested argument in the selection set",
        APPSYNC,
        set_at("info.selectionSetGraphQL", f'{{ id comments(filter: {{text: "{M}"}}) {{ id }} }}'),
        "info.selectionSetGraphQL<graphql>.comments.filter.text",
        None,
    ),
    (
        "appsync batch selection set, escaped",
        "appsync/own--batch-resolver.json",
        set_at("[1].info.selectionSetGraphQL", '{ posts(q: "\\u0045gMark4821") { id } }'),
        "[1].info.selectionSetGraphQL<graphql>.posts.q",
        None,
    ),
    (
        "appsync events payload",
        "appsync-events/own--publish.json",
        set_at("events[0].payload.comment", M),
        "events[0].payload.comment",
        None,
    ),
    (
        "appsync authorizer token",
        "appsync-authorizer/aws-lambda-go--appsync-lambda-auth-request.json",
        set_at("authorizationToken", M),
        "authorizationToken",
        None,
    ),
    (
        "appsync authorizer inline argument in the query",
        "appsync-authorizer/own--inline-arguments.json",
        set_at("requestContext.queryString", f'mutation {{ addReview(comment: "{M}") {{ id }} }}'),
        "requestContext.queryString<graphql>.addReview.comment",
        None,
    ),
    (
        "appsync authorizer header",
        "appsync-authorizer/own--inline-arguments.json",
        set_at("requestHeaders.user-agent", M),
        "requestHeaders.user-agent",
        None,
    ),
    (
        "appsync events header",
        "appsync-events/own--publish.json",
        set_at("request.headers.user-agent", M),
        "request.headers.user-agent",
        None,
    ),
    (
        "appsync flat context (Amplify @function) argument",
        "appsync/own--flat-context.json",
        set_at("arguments.input.comment", M),
        "arguments.input.comment",
        None,
    ),
    (
        "appsync flat context header",
        "appsync/own--flat-context.json",
        set_at("request.headers.user-agent", M),
        "request.headers.user-agent",
        None,
    ),
    # SQS and envelopes inside it
    ("sqs body", SQS, sqs_body(M), "Records[0].body", 0),
    (
        "sqs json body",
        SQS,
        sqs_body(json.dumps({"comment": M})),
        "Records[0].body<json>.comment",
        0,
    ),
    ("sqs third record", "sqs/own--fifo.json", set_at("Records[2].body", M), "Records[2].body", 2),
    (
        "sqs string attribute",
        SQS_GO,
        set_at("Records[0].messageAttributes.Note", {"stringValue": M, "dataType": "String"}),
        "Records[0].messageAttributes.Note.stringValue",
        0,
    ),
    (
        "sqs binary attribute",
        SQS_GO,
        set_at("Records[0].messageAttributes.Bin", {"binaryValue": b64(M), "dataType": "Binary"}),
        "Records[0].messageAttributes.Bin.binaryValue<base64>",
        0,
    ),
    (
        "sqs base64 json body",
        SQS,
        sqs_body(b64(json.dumps({"comment": M}))),
        "Records[0].body<base64><json>.comment",
        0,
    ),
    (
        "sqs gzip base64 body",
        SQS,
        sqs_body(b64(gzip.compress(json.dumps({"c": M}).encode()))),
        "Records[0].body<base64><gzip><json>.c",
        0,
    ),
    (
        "sns in sqs",
        SQS,
        sqs_body(json.dumps({**SNS_NOTE, "Message": json.dumps({"c": M})})),
        "Records[0].body<json>.Message<json>.c",
        0,
    ),
    (
        "s3 in sns in sqs",
        SQS,
        sqs_body(json.dumps({**SNS_NOTE, "Message": json.dumps(S3_EVENT)})),
        "Records[0].body<json>.Message<json>.Records[0].s3.object.key<url>",
        0,
    ),
    (
        "eventbridge in sqs",
        SQS,
        sqs_body(json.dumps({"detail-type": "x", "source": "app", "detail": {"c": M}})),
        "Records[0].body<json>.detail.c",
        0,
    ),
    # SNS, SMS
    ("sns message", SNS, set_at("Records[0].Sns.Message", M), "Records[0].Sns.Message", None),
    (
        "sns json message",
        SNS,
        set_at("Records[0].Sns.Message", json.dumps({"c": M})),
        "Records[0].Sns.Message<json>.c",
        None,
    ),
    ("sns subject", SNS, set_at("Records[0].Sns.Subject", M), "Records[0].Sns.Subject", None),
    (
        "sns attribute",
        SNS,
        set_at("Records[0].Sns.MessageAttributes.Note", {"Type": "String", "Value": M}),
        "Records[0].Sns.MessageAttributes.Note.Value",
        None,
    ),
    (
        "s3 in sns",
        SNS,
        set_at("Records[0].Sns.Message", json.dumps(S3_EVENT)),
        "Records[0].Sns.Message<json>.Records[0].s3.object.key<url>",
        None,
    ),
    (
        "sms body",
        "sms/own--inbound-sms.json",
        lambda kit, e: kit.put(
            e, "Records[0].Sns.Message", json.dumps({"originationNumber": "+1", "messageBody": M})
        ),
        "Records[0].Sns.Message<json>.messageBody",
        None,
    ),
    (
        "ses content in sns",
        SNS,
        set_at(
            "Records[0].Sns.Message",
            json.dumps(
                {
                    "notificationType": "Received",
                    "mail": {"source": "a@b.c"},
                    "receipt": {"action": {"type": "SNS", "encoding": "BASE64"}},
                    "content": b64(f"Subject: hi\r\n\r\n{M}"),
                }
            ),
        ),
        "Records[0].Sns.Message<json>.content<base64>",
        None,
    ),
    # S3
    (
        "s3 key",
        S3,
        set_at("Records[0].s3.object.key", f"dir/{M}+x%3Cy"),
        "Records[0].s3.object.key<url>",
        None,
    ),
    (
        "s3 via eventbridge",
        "eventbridge/own--s3-object-created.json",
        set_at("detail.object.key", f"{M}+%27"),
        "detail.object.key<url>",
        None,
    ),
    (
        "s3 batch key",
        "s3-batch/s3-batch-v2--aws-lambda-go--s3-batch-job-event-request-2.0.json",
        set_at("tasks[0].s3Key", f"{M}%2F"),
        "tasks[0].s3Key<url>",
        None,
    ),
    (
        "s3 batch user argument",
        "s3-batch/s3-batch-v2--aws-lambda-go--s3-batch-job-event-request-2.0.json",
        set_at("job.userArguments.k1", M),
        "job.userArguments.k1",
        None,
    ),
    (
        "s3 object lambda url",
        "s3-object-lambda/aws-lambda-go--s3-object-lambda-event-get-object-iam.json",
        set_at("userRequest.url", f"https://x/?q={M}"),
        "userRequest.url",
        None,
    ),
    # DynamoDB
    (
        "dynamodb string",
        DDB,
        set_at("Records[0].dynamodb.NewImage.note", {"S": M}),
        "Records[0].dynamodb.NewImage.note.S",
        0,
    ),
    (
        "dynamodb binary",
        DDB,
        set_at("Records[0].dynamodb.NewImage.blob", {"B": b64(M)}),
        "Records[0].dynamodb.NewImage.blob.B<base64>",
        0,
    ),
    (
        "dynamodb binary set",
        DDB,
        set_at("Records[0].dynamodb.NewImage.bs", {"BS": [b64("x"), b64(M)]}),
        "Records[0].dynamodb.NewImage.bs.BS[1]<base64>",
        0,
    ),
    (
        "dynamodb string set",
        DDB,
        set_at("Records[0].dynamodb.NewImage.ss", {"SS": ["x", M]}),
        "Records[0].dynamodb.NewImage.ss.SS[1]",
        0,
    ),
    (
        "dynamodb map",
        DDB,
        set_at("Records[0].dynamodb.NewImage.m", {"M": {"inner": {"S": M}}}),
        "Records[0].dynamodb.NewImage.m.M.inner.S",
        0,
    ),
    (
        "dynamodb list",
        DDB,
        set_at("Records[0].dynamodb.NewImage.l", {"L": [{"N": "1"}, {"S": M}]}),
        "Records[0].dynamodb.NewImage.l.L[1].S",
        0,
    ),
    (
        "dynamodb attribute name",
        DDB,
        set_at(f"Records[0].dynamodb.NewImage.{M}", {"N": "1"}),
        f"Records[0].dynamodb.NewImage.{M}<key>",
        0,
    ),
    (
        "dynamodb old image",
        DDB,
        set_at("Records[1].dynamodb.OldImage.note", {"S": M}),
        "Records[1].dynamodb.OldImage.note.S",
        1,
    ),
    # Kinesis, Firehose, CloudWatch Logs
    (
        "kinesis data",
        KIN,
        set_at("Records[0].kinesis.data", b64(M)),
        "Records[0].kinesis.data<base64>",
        0,
    ),
    (
        "kinesis json data",
        KIN,
        set_at("Records[0].kinesis.data", b64(json.dumps({"comment": M}))),
        "Records[0].kinesis.data<base64><json>.comment",
        0,
    ),
    (
        "kinesis partition key",
        KIN,
        set_at("Records[0].kinesis.partitionKey", M),
        "Records[0].kinesis.partitionKey",
        0,
    ),
    (
        "dynamodb in kinesis",
        KIN,
        set_at("Records[0].kinesis.data", b64(json.dumps(DDB_CHANGE))),
        "Records[0].kinesis.data<base64><json>.dynamodb.NewImage.blob.B<base64>",
        0,
    ),
    (
        "logs in kinesis",
        KIN,
        set_at("Records[0].kinesis.data", b64(gzip.compress(json.dumps(LOGS).encode()))),
        "Records[0].kinesis.data<base64><gzip><json>.logEvents[0].message",
        0,
    ),
    ("firehose data", FH, set_at("records[0].data", b64(M)), "records[0].data<base64>", 0),
    (
        "logs in firehose",
        FH,
        set_at("records[0].data", b64(gzip.compress(json.dumps(LOGS).encode()))),
        "records[0].data<base64><gzip><json>.logEvents[0].message",
        0,
    ),
    (
        "cloudwatch logs",
        "cloudwatch-logs/sam-cli--CloudwatchLogs.json",
        set_at("awslogs.data", b64(gzip.compress(json.dumps(LOGS).encode()))),
        "awslogs.data<base64><gzip><json>.logEvents[0].message",
        None,
    ),
    # EventBridge, scheduled
    (
        "eventbridge detail",
        "eventbridge/own--custom-putevents.json",
        set_at("detail.items[0].note", M),
        "detail.items[0].note",
        None,
    ),
    (
        "eventbridge detail-type",
        "eventbridge/own--custom-putevents.json",
        set_at("detail-type", M),
        "detail-type",
        None,
    ),
    (
        "eventbridge source, named by the PutEvents caller",
        "eventbridge/own--custom-putevents.json",
        set_at("source", M),
        "source",
        None,
    ),
    (
        "eventbridge resources, named by the PutEvents caller",
        "eventbridge/own--custom-putevents.json",
        set_at("resources", [f"arn:aws:s3:::{M}"]),
        "resources[0]",
        None,
    ),
    (
        "eventbridge event without the envelope fields",
        "eventbridge/own--putevents-minimal.json",
        set_at("detail.customer", M),
        "detail.customer",
        None,
    ),
    (
        "scheduled detail",
        "scheduled/eventbridge-scheduled--sam-cli--ScheduledEvent.json",
        set_at("detail", {"x": M}),
        "detail.x",
        None,
    ),
    # SES, CodeCommit, IoT
    (
        "ses subject",
        SES,
        set_at("Records[0].ses.mail.commonHeaders.subject", M),
        "Records[0].ses.mail.commonHeaders.subject",
        None,
    ),
    (
        "ses from",
        SES,
        set_at("Records[0].ses.mail.commonHeaders.from", [M]),
        "Records[0].ses.mail.commonHeaders.from[0]",
        None,
    ),
    (
        "ses source",
        SES,
        set_at("Records[0].ses.mail.source", M),
        "Records[0].ses.mail.source",
        None,
    ),
    (
        "ses header value",
        SES,
        set_at("Records[0].ses.mail.headers[0].value", M),
        "Records[0].ses.mail.headers[0].value",
        None,
    ),
    (
        "codecommit ref",
        "codecommit/sam-cli--CodeCommit.json",
        set_at("Records[0].codecommit.references[0].ref", f"refs/heads/{M}"),
        "Records[0].codecommit.references[0].ref",
        None,
    ),
    (
        "codecommit custom data",
        "codecommit/sam-cli--CodeCommit.json",
        set_at("Records[0].customData", M),
        "Records[0].customData",
        None,
    ),
    (
        "iot button",
        "iot/iot-button--aws-lambda-go--iot-button-event.json",
        set_at("batteryVoltage", M),
        "batteryVoltage",
        None,
    ),
    (
        "iot authorizer password",
        "iot-authorizer/iot-custom-authorizer--aws-lambda-go--iot-custom-auth-request.json",
        set_at("protocolData.mqtt.password", b64(M)),
        "protocolData.mqtt.password<base64>",
        None,
    ),
    # Kafka and MQ
    (
        "kafka value",
        KAFKA,
        set_at("records.AWSKafkaTopic-0[0].value", b64(json.dumps({"c": M}))),
        "records.AWSKafkaTopic-0[0].value<base64><json>.c",
        0,
    ),
    (
        "kafka key",
        KAFKA,
        set_at("records.AWSKafkaTopic-0[0].key", b64(M)),
        "records.AWSKafkaTopic-0[0].key<base64>",
        0,
    ),
    (
        "kafka header",
        KAFKA,
        set_at("records.AWSKafkaTopic-0[0].headers", [{"h": list(M.encode())}]),
        "records.AWSKafkaTopic-0[0].headers[0].h<bytes>",
        0,
    ),
    (
        "kafka second partition",
        "kafka/own--self-managed.json",
        set_at("records.orders-1[0].value", b64(M)),
        "records.orders-1[0].value<base64>",
        1,
    ),
    (
        "kafka self-managed, aws: prefixed source",
        "kafka/own--self-managed-aws-prefix.json",
        set_at("records.payments-0[0].value", b64(json.dumps({"note": M}))),
        "records.payments-0[0].value<base64><json>.note",
        0,
    ),
    ("activemq data", AMQ, set_at("messages[0].data", b64(M)), "messages[0].data<base64>", 0),
    (
        "activemq property",
        AMQ,
        set_at("messages[0].properties", {"p": M}),
        "messages[0].properties.p",
        0,
    ),
    (
        "rabbitmq data",
        RMQ,
        set_at("rmqMessagesByQueue.test::/[0].data", b64(M)),
        "rmqMessagesByQueue.test::/[0].data<base64>",
        0,
    ),
    (
        "rabbitmq header bytes",
        RMQ,
        set_at(
            "rmqMessagesByQueue.test::/[0].basicProperties.headers.h", {"bytes": list(M.encode())}
        ),
        "rmqMessagesByQueue.test::/[0].basicProperties.headers.h.bytes<bytes>",
        0,
    ),
    (
        "documentdb inserted document value",
        DOC_INSERT,
        set_at("events[0].event.fullDocument.customer.name", M),
        "events[0].event.fullDocument.customer.name",
        0,
    ),
    (
        "documentdb document field name",
        DOC_INSERT,
        set_at(f"events[0].event.fullDocument.{M}", 1),
        f"events[0].event.fullDocument.{M}<key>",
        0,
    ),
    (
        "documentdb document holding base64 json",
        DOC_INSERT,
        set_at("events[0].event.fullDocument.note", b64(json.dumps({"c": M}))),
        "events[0].event.fullDocument.note<base64><json>.c",
        0,
    ),
    (
        "documentdb updated field",
        DOC_UPDATE,
        set_at("events[0].event.updateDescription.updatedFields.status", M),
        "events[0].event.updateDescription.updatedFields.status",
        0,
    ),
    (
        "documentdb removed field name",
        DOC_UPDATE,
        set_at("events[0].event.updateDescription.removedFields", ["a", M]),
        "events[0].event.updateDescription.removedFields[1]",
        0,
    ),
    (
        "documentdb truncated array name",
        DOC_UPDATE,
        set_at("events[0].event.updateDescription.truncatedArrays", [{"field": M, "newSize": 1}]),
        "events[0].event.updateDescription.truncatedArrays[0].field",
        0,
    ),
    (
        "documentdb document before the change",
        DOC_UPDATE,
        set_at("events[0].event.fullDocumentBeforeChange.status", M),
        "events[0].event.fullDocumentBeforeChange.status",
        0,
    ),
    (
        "documentdb key of a deleted document",
        DOC_BATCH,
        set_at("events[0].event.documentKey._id", M),
        "events[0].event.documentKey._id",
        0,
    ),
    (
        "documentdb replaced document, second record",
        DOC_BATCH,
        set_at("events[1].event.fullDocument.bio", M),
        "events[1].event.fullDocument.bio",
        1,
    ),
    # Services that wait
    (
        "cognito attribute",
        COG,
        set_at("request.userAttributes.email", M),
        "request.userAttributes.email",
        None,
    ),
    (
        "cognito client metadata",
        COG,
        set_at("request.clientMetadata.k", M),
        "request.clientMetadata.k",
        None,
    ),
    (
        "cognito validation data",
        COG,
        set_at("request.validationData.k", M),
        "request.validationData.k",
        None,
    ),
    ("cognito user name", COG, set_at("userName", M), "userName", None),
    (
        "lex v1 transcript",
        "lex/lex-v1--aws-lambda-go--lex-event.json",
        set_at("inputTranscript", M),
        "inputTranscript",
        None,
    ),
    (
        "lex v1 slot",
        "lex/lex-v1--sam-cli--LexBookCar.json",
        set_at("currentIntent.slots.PickUpCity", M),
        "currentIntent.slots.PickUpCity",
        None,
    ),
    (
        "lex v2 slot",
        "lex/lex-v2--sam-cli--BankingBot.json",
        set_at("interpretations[0].intent.slots.accountType.value.originalValue", M),
        "interpretations[0].intent.slots.accountType.value.originalValue",
        None,
    ),
    (
        "connect attribute",
        "connect/connect-contact-flow--aws-lambda-go--connect-event.json",
        set_at("Details.ContactData.Attributes.k", M),
        "Details.ContactData.Attributes.k",
        None,
    ),
    (
        "connect parameter",
        "connect/connect-contact-flow--aws-lambda-go--connect-event.json",
        set_at("Details.Parameters.k", M),
        "Details.Parameters.k",
        None,
    ),
    (
        "cloudformation property",
        "cloudformation/cloudformation-custom-resource--sam-cli--CfnCreateRequest.json",
        set_at("ResourceProperties.List", ["1", M]),
        "ResourceProperties.List[1]",
        None,
    ),
    (
        "cloudformation provider-framework request property",
        "cloudformation/own--provider-framework-request.json",
        set_at("OldResourceProperties.Rows", ["apple", M]),
        "OldResourceProperties.Rows[1]",
        None,
    ),
    (
        "appsync lambda envelope argument",
        "appsync/own--invoke-envelope.json",
        set_at("payload.arguments.text", M),
        "payload.arguments.text",
        None,
    ),
    (
        "appsync lambda batch envelope argument",
        "appsync/own--batch-invoke-envelope.json",
        set_at("payload", [{"source": {"id": "p-1"}, "arguments": {"filter": M}}]),
        "payload[0].arguments.filter",
        None,
    ),
    (
        "rest request from sam local (version 1.0) header",
        "api-rest/own--sam-local-version.json",
        set_at("headers.User-Agent", M),
        "headers.User-Agent",
        None,
    ),
    (
        "rest request with a connection id body",
        "api-rest/own--connection-id-without-event-type.json",
        set_at("body", json.dumps({"text": M})),
        "body<json>.text",
        None,
    ),
    (
        "http api payload 1.0 query parameter",
        "api-http/own--payload-1-0.json",
        set_at("queryStringParameters.page", M),
        "queryStringParameters.page",
        None,
    ),
    (
        "secrets rotation id",
        "secrets-rotation/secrets-manager-rotation--aws-lambda-go--secretsmanager-secret-rotation-event.json",
        set_at("SecretId", M),
        "SecretId",
        None,
    ),
    (
        "lambda edge uri",
        "lambda-edge/cloudfront-lambda-edge--sam-cli--CloudFrontSimpleRemoteCall.json",
        set_at("Records[0].cf.request.uri", f"/{M}"),
        "Records[0].cf.request.uri",
        None,
    ),
    # Direct invocation: everything, keys included
    (
        "direct value",
        "direct/stepfunctions-error--sam-cli--StepFunctionsError.json",
        set_at("Cause", M),
        "Cause",
        None,
    ),
    (
        "direct key",
        "direct/stepfunctions-error--sam-cli--StepFunctionsError.json",
        set_at(M, 1),
        f"{M}<key>",
        None,
    ),
]


@pytest.mark.parametrize(
    ("sample", "mutate", "path", "record"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_marker_is_found_at_its_path(kit, sample, mutate, path, record) -> None:
    event = mutate(kit, kit.load(sample))
    expected_source = sample.split("/")[0]
    found = [(f.path, f.record) for f in kit.fields(event) if M in f.text]
    assert (path, record) in found, found
    from eventguard.runtime import sources

    assert expected_source == sources.identify(event).ID


def test_s3_key_is_form_decoded(kit) -> None:
    event = kit.put(kit.load(S3), "Records[0].s3.object.key", "my+folder/%3Cscript%3E.txt")
    texts = {f.path: f.text for f in kit.fields(event)}
    assert texts["Records[0].s3.object.key<url>"] == "my folder/<script>.txt"


@pytest.mark.parametrize(
    ("sample", "path"),
    [
        (REST, "requestContext.identity.sourceIp"),
        (HTTP, "requestContext.http.sourceIp"),
        (SQS, "Records[0].eventSourceARN"),
        (S3, "Records[0].s3.bucket.name"),
        (REST, "requestContext.accountId"),
        (KIN, "Records[0].eventSourceARN"),
        (DOC_UPDATE, "events[0].event.ns.coll"),
        (DOC_UPDATE, "events[0].event.operationType"),
        (DOC_UPDATE, "events[0].event._id._data"),
        (DOC_UPDATE, "eventSourceArn"),
    ],
)
def test_rejects_fields_that_are_not_the_attackers(kit, sample, path) -> None:
    event = kit.put(kit.load(sample), path, M)
    assert not [f for f in kit.fields(event) if M in f.text]


def test_clean_sqs_sample_yields_exactly_its_untrusted_paths(kit) -> None:
    paths = [f.path for f in kit.fields(kit.load(SQS_GO))]
    attr = "Records[0].messageAttributes"
    assert len(paths) == len(set(paths)), "a field is extracted twice"
    assert set(paths) == {
        "Records[0].body",
        *(f"{attr}.Attribute{i}<key>" for i in (1, 2, 3)),
        f"{attr}.Attribute1.stringValue",
        f"{attr}.Attribute2.stringValue",
        *(f"{attr}.Attribute2.binaryListValues[{i}]{c}" for i in (0, 1) for c in ("", "<base64>")),
        f"{attr}.Attribute3.binaryValue",
        f"{attr}.Attribute3.binaryValue<base64>",
        f"{attr}.Attribute3.stringListValues[0]",
        f"{attr}.Attribute3.stringListValues[1]",
        *(
            f"{attr}.Attribute3.binaryListValues[{i}]{c}"
            for i in (0, 1, 2)
            for c in ("", "<base64>")
        ),
    }


def test_clean_s3_sample_yields_key_and_version_only(kit) -> None:
    paths = {f.path for f in kit.fields(kit.load(S3))}
    assert paths == {"Records[0].s3.object.key"}


def test_clean_rest_sample_paths_are_request_fields(kit) -> None:
    paths = {f.path.split("<")[0].split(".")[0].split("[")[0] for f in kit.fields(kit.load(REST))}
    assert paths <= {
        "path",
        "httpMethod",
        "headers",
        "multiValueHeaders",
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "pathParameters",
        "requestContext",
        "body",
    }
    rc = {f.path for f in kit.fields(kit.load(REST)) if f.path.startswith("requestContext")}
    assert all(
        p.startswith(
            (
                "requestContext.identity.userAgent",
                "requestContext.path",
                "requestContext.authorizer",
            )
        )
        for p in rc
    ), rc


def test_records_carry_their_batch_index(kit) -> None:
    event = kit.load("sqs/own--fifo.json")
    assert {f.record for f in kit.fields(event)} == {0, 1, 2, 3}
    assert all(f.path.startswith(f"Records[{f.record}].") for f in kit.fields(event))


def test_single_and_multi_value_twins_are_extracted_once(kit) -> None:
    event = kit.load(REST)
    event["headers"]["X-Note"] = M
    event["multiValueHeaders"]["X-Note"] = [M]
    event["queryStringParameters"] = {"q": M}
    event["multiValueQueryStringParameters"] = {"q": [M]}
    found = sorted(f.path for f in kit.fields(event) if f.text == M)
    assert found == ["multiValueHeaders.X-Note[0]", "multiValueQueryStringParameters.q[0]"]


def test_a_single_value_differing_from_its_twin_is_extracted(kit) -> None:
    event = kit.load(REST)
    event["headers"]["X-Note"] = M
    event["multiValueHeaders"]["X-Note"] = ["benign"]
    assert "headers.X-Note" in {f.path for f in kit.fields(event) if f.text == M}
