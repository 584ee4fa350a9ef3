"""EventGuard-PartialBatchResponse, EventGuard-AsyncFailureDestination, EventGuard-SourceQueueRedrive."""

from __future__ import annotations

from eventguard.aspects.rules import (
    async_failure_destination,
    partial_batch_response,
    source_queue_redrive,
)


def test_sqs_mapping_with_partial_batch_response_is_compliant(check, t):
    doc = t.base(Mapping=t.esm(FunctionResponseTypes=["ReportBatchItemFailures"]))
    assert check(partial_batch_response, doc, "Mapping").status == "compliant"


def test_fails_sqs_mapping_without_partial_batch_response(check, t):
    result = check(partial_batch_response, t.base(Mapping=t.esm()), "Mapping")
    assert result.status == "non_compliant"
    assert result.violations[0].related[0].logical_id == "Fn"


def test_partial_batch_not_applicable_to_kafka_and_functions(check, t):
    kafka = t.esm(source="arn:aws:kafka:eu-west-1:1:cluster/c/x")
    assert (
        check(partial_batch_response, t.base(Mapping=kafka), "Mapping").status == "not_applicable"
    )
    assert check(partial_batch_response, t.base(), "Fn").status == "not_applicable"


def test_fails_queue_without_redrive(check, t):
    doc = t.base(Mapping=t.esm())
    del doc["Resources"]["Queue"]["Properties"]["RedrivePolicy"]
    result = check(source_queue_redrive, doc, "Mapping")
    assert result.status == "non_compliant"
    assert result.violations[0].detail == "S/Queue/Resource"
    doc["Resources"]["Queue"]["Properties"]["RedrivePolicy"] = {
        "deadLetterTargetArn": "x",
        "maxReceiveCount": 3,
    }
    assert check(source_queue_redrive, doc, "Mapping").status == "compliant"


def test_fails_redrive_when_queue_is_not_in_the_app(check, t):
    doc = t.base(Mapping=t.esm(source="arn:aws:sqs:eu-west-1:1:elsewhere"))
    assert check(source_queue_redrive, doc, "Mapping").violations[0].detail == "unresolved:queue"


def sns(t, **fn_props):
    topic = {"Type": "AWS::SNS::Topic"}
    sub = {
        "Type": "AWS::SNS::Subscription",
        "Properties": {
            "Protocol": "lambda",
            "Endpoint": {"Fn::GetAtt": ["Fn", "Arn"]},
            "TopicArn": {"Ref": "Topic"},
        },
    }
    return t.base(t.secure_function(**fn_props), Topic=topic, Sub=sub)


def test_fails_async_function_without_dlq(check, t):
    result = check(async_failure_destination, sns(t), "Fn")
    assert result.status == "non_compliant"
    assert "(sns)" in result.violations[0].message


def test_async_function_with_dlq_or_destination_is_compliant(check, t):
    doc = sns(t, DeadLetterConfig={"TargetArn": {"Fn::GetAtt": ["Quarantine", "Arn"]}})
    assert check(async_failure_destination, doc, "Fn").status == "compliant"
    doc = sns(t)
    doc["Resources"]["Invoke"] = {
        "Type": "AWS::Lambda::EventInvokeConfig",
        "Properties": {
            "FunctionName": {"Ref": "Fn"},
            "Qualifier": "$LATEST",
            "DestinationConfig": {
                "OnFailure": {"Destination": {"Fn::GetAtt": ["Quarantine", "Arn"]}}
            },
        },
    }
    assert check(async_failure_destination, doc, "Fn").status == "compliant"


def test_fails_stream_mapping_without_on_failure(check, t):
    stream = {"Type": "AWS::Kinesis::Stream", "Properties": {"ShardCount": 1}}
    doc = t.base(Stream=stream, Mapping=t.esm(source={"Fn::GetAtt": ["Stream", "Arn"]}))
    assert check(async_failure_destination, doc, "Mapping").status == "non_compliant"
    doc["Resources"]["Mapping"]["Properties"]["DestinationConfig"] = {
        "OnFailure": {"Destination": "arn:aws:sqs:eu-west-1:1:dlq"}
    }
    assert check(async_failure_destination, doc, "Mapping").status == "compliant"


def test_async_not_applicable_to_queue_triggered_function(check, t):
    assert (
        check(async_failure_destination, t.base(Mapping=t.esm()), "Fn").status == "not_applicable"
    )
