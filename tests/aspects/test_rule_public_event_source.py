from __future__ import annotations

from eventguard.aspects.rules import public_event_source as rule


def queue_policy(statement):
    return {
        "Type": "AWS::SQS::QueuePolicy",
        "Properties": {"Queues": [{"Ref": "Queue"}], "PolicyDocument": {"Statement": [statement]}},
    }


OPEN = {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}


def test_fails_queue_anyone_can_send_to_that_feeds_a_function(check, t):
    doc = t.base(Mapping=t.esm(), Policy=queue_policy(OPEN))
    result = check(rule, doc, "Policy")
    assert result.status == "non_compliant"
    assert result.violations[0].detail == "S/Queue/Resource"
    assert "S/Fn/Resource" in result.violations[0].message


def test_scoped_statement_is_compliant(check, t):
    scoped = dict(OPEN, Condition={"ArnEquals": {"aws:SourceArn": "arn:aws:sns:eu-west-1:1:t"}})
    assert (
        check(rule, t.base(Mapping=t.esm(), Policy=queue_policy(scoped)), "Policy").status
        == "compliant"
    )


def test_open_queue_feeding_no_function_is_compliant(check, t):
    assert check(rule, t.base(Policy=queue_policy(OPEN)), "Policy").status == "compliant"


def test_fails_topic_policy_with_aws_star(check, t):
    topic = {"Type": "AWS::SNS::Topic"}
    sub = {
        "Type": "AWS::SNS::Subscription",
        "Properties": {
            "Protocol": "lambda",
            "Endpoint": {"Fn::GetAtt": ["Fn", "Arn"]},
            "TopicArn": {"Ref": "Topic"},
        },
    }
    policy = {
        "Type": "AWS::SNS::TopicPolicy",
        "Properties": {
            "Topics": [{"Ref": "Topic"}],
            "PolicyDocument": {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "*"},
                        "Action": ["sns:Publish"],
                        "Resource": {"Ref": "Topic"},
                    }
                ]
            },
        },
    }
    assert (
        check(rule, t.base(Topic=topic, Sub=sub, Policy=policy), "Policy").status == "non_compliant"
    )


def test_fails_when_the_queue_cannot_be_resolved(check, t):
    policy = queue_policy(OPEN)
    policy["Properties"]["Queues"] = ["https://sqs.eu-west-1.amazonaws.com/1/elsewhere"]
    result = check(rule, t.base(Policy=policy), "Policy")
    assert result.status == "non_compliant"
    assert result.violations[0].detail.startswith("unresolved:")


def test_not_applicable_to_a_function(check, t):
    assert check(rule, t.base(), "Fn").status == "not_applicable"


def test_fails_default_event_bus_open_to_anyone(check, t):
    rule_resource = {
        "Type": "AWS::Events::Rule",
        "Properties": {
            "EventPattern": {"source": ["x"]},
            "Targets": [{"Id": "t", "Arn": {"Fn::GetAtt": ["Fn", "Arn"]}}],
        },
    }
    bus_policy = {
        "Type": "AWS::Events::EventBusPolicy",
        "Properties": {
            "StatementId": "open",
            "Statement": {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "events:PutEvents",
                "Resource": "*",
            },
        },
    }
    result = check(rule, t.base(R=rule_resource, P=bus_policy), "P")
    assert result.status == "non_compliant" and result.violations[0].detail == "default"


def test_fails_bucket_anyone_can_write_to_that_notifies_a_function(check, t):
    bucket = {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "NotificationConfiguration": {
                "LambdaConfigurations": [
                    {"Event": "s3:ObjectCreated:*", "Function": {"Fn::GetAtt": ["Fn", "Arn"]}}
                ]
            }
        },
        "Metadata": {"aws:cdk:path": "S/Uploads/Resource"},
    }
    policy = {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": "Uploads"},
            "PolicyDocument": {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": ["*"]},
                        "Action": "s3:PutObject",
                        "Resource": "arn:aws:s3:::uploads/*",
                    }
                ]
            },
        },
    }
    result = check(rule, t.base(Uploads=bucket, P=policy), "P")
    assert result.status == "non_compliant" and result.violations[0].detail == "S/Uploads/Resource"
