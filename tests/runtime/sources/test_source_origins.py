"""Origin verification end to end: ``inspect`` with declared triggers accepts an event whose
``origins`` are declared and reports ``unexpected_source`` for one from elsewhere."""

from __future__ import annotations

import pytest

from eventguard.runtime import inspect
from eventguard.runtime.model import UNEXPECTED_SOURCE
from eventguard.runtime.policy import Policy, Trigger

CASES = [
    ("sqs/sam-cli--Sqs.json", "sqs", "arn:aws:sqs:us-east-1:123456789012:MyQueue"),
    ("sns/sam-cli--Sns.json", "sns", "arn:aws:sns:us-east-1:123456789012:ExampleTopic"),
    ("s3/sam-cli--S3Put.json", "s3", "example-bucket"),
    ("api-rest/apigw-rest-v1--sam-cli--AwsProxy.json", "api-rest", "1234567890"),
    ("function-url/aws-lambda-go--lambda-urls-request.json", "function-url", "<url-id>"),
    (
        "kafka/kafka-msk--aws-lambda-go--kafka-event.json",
        "kafka",
        "arn:aws:kafka:us-west-2:012345678901:cluster/ExampleMSKCluster/e9f754c6-d29a-4430-a7db-958a19fd2c54-4",
    ),
    (
        "docdb/own--insert.json",
        "docdb",
        "arn:aws:rds:eu-west-1:210987654321:cluster:orders-docdb-cluster-7k2m9x",
    ),
    (
        "cognito/cognito-pre-signup--aws-lambda-go--cognito-event-userpools-presignup.json",
        "cognito",
        "<userPoolId>",
    ),
]


def _unexpected(verdict) -> list:
    return [f for f in verdict.findings if f.rule == UNEXPECTED_SOURCE]


@pytest.mark.parametrize(("sample", "source", "origin"), CASES)
def test_declared_origin_is_accepted(kit, sample, source, origin) -> None:
    policy = Policy(triggers=(Trigger(source, origin),))
    assert _unexpected(inspect(kit.load(sample), policy=policy)) == []


@pytest.mark.parametrize(("sample", "source", "origin"), CASES)
def test_rejects_an_origin_that_was_not_declared(kit, sample, source, origin) -> None:
    policy = Policy(triggers=(Trigger(source, "somewhere-else"),))
    assert _unexpected(inspect(kit.load(sample), policy=policy))


def test_rejects_a_source_type_that_was_not_declared(kit) -> None:
    policy = Policy(triggers=(Trigger("sqs", "arn:aws:sqs:us-east-1:123456789012:MyQueue"),))
    assert _unexpected(inspect(kit.load("sns/sam-cli--Sns.json"), policy=policy))


def test_sources_that_name_no_origin_pass_once_declared(kit) -> None:
    policy = Policy(triggers=(Trigger("eventbridge", "arn:aws:events:us-east-1:1:rule/r"),))
    assert (
        _unexpected(inspect(kit.load("eventbridge/own--custom-putevents.json"), policy=policy))
        == []
    )
