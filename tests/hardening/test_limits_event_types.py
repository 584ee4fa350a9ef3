"""Events that are not objects (list, string, null, numbers, booleans) and objects that only look
like a known source: a verdict through ``inspect``, no crash through the wrapper."""

from __future__ import annotations

from typing import Any

import pytest

from eventguard.runtime import inspect, sources
from eventguard.runtime.policy import Policy

SQLI = "1' OR '1'='1' --"

NON_OBJECTS = [
    pytest.param([], id="empty-list"),
    pytest.param(["plain", 1, None], id="list"),
    pytest.param("plain", id="string"),
    pytest.param("", id="empty-string"),
    pytest.param(None, id="null"),
    pytest.param(0, id="zero"),
    pytest.param(-(2**63), id="int"),
    pytest.param(10**4000, id="huge-int"),
    pytest.param(1.5e308, id="float"),
    pytest.param(float("nan"), id="nan"),
    pytest.param(True, id="bool"),
    pytest.param([[[[]]]], id="nested-lists"),
]


@pytest.mark.parametrize("event", NON_OBJECTS)
def test_non_object_event_gets_a_verdict(event):
    verdict = inspect(event)
    assert verdict.source == "direct"
    assert not verdict.blocked


@pytest.mark.parametrize("event", NON_OBJECTS)
def test_non_object_event_reaches_the_handler_unchanged(guard, event):
    guard.configure(Policy(function="hardening"))
    response = guard(event)
    assert response == {"statusCode": 200, "body": "handled"}
    assert len(guard.seen) == 1 and guard.seen[0] is event


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(SQLI, id="string"),
        pytest.param([SQLI], id="list"),
        pytest.param([{"Records": [{"eventSource": "aws:sqs", "body": SQLI}]}], id="list-of-sqs"),
        pytest.param({"Records": SQLI}, id="records-is-a-string"),
    ],
)
def test_blocks_attack_in_a_non_object_event(guard, event):
    assert "sqli" in inspect(event).rules
    guard.configure(Policy(function="hardening"))
    guard(event)
    assert guard.seen == []
    assert len(guard.sent) == 1


SHAPES = [
    pytest.param({"Records": []}, id="no-records"),
    pytest.param({"Records": None}, id="records-null"),
    pytest.param({"Records": [None, 1, "x"]}, id="records-not-objects"),
    pytest.param({"Records": [{"eventSource": "aws:sqs"}]}, id="sqs-without-body"),
    pytest.param({"Records": [{"eventSource": "aws:sqs", "body": None}]}, id="sqs-body-null"),
    pytest.param({"Records": [{"eventSource": "aws:sqs", "body": {"x": SQLI}}]}, id="sqs-body-obj"),
    pytest.param({"Records": [{"eventSource": "aws:sqs", "body": 7}, "x"]}, id="sqs-mixed"),
    pytest.param({"Records": [{"eventSource": "aws:kinesis", "kinesis": None}]}, id="kinesis-null"),
    pytest.param(
        {"Records": [{"eventSource": "aws:kinesis", "kinesis": {"data": 5}}]}, id="kin-int"
    ),
    pytest.param({"Records": [{"EventSource": "aws:sns", "Sns": "x"}]}, id="sns-string"),
    pytest.param({"Records": [{"eventSource": "aws:s3", "s3": []}]}, id="s3-list"),
    pytest.param({"awslogs": {"data": None}}, id="awslogs-null"),
    pytest.param({"awslogs": {"data": "!!"}}, id="awslogs-bad"),
    pytest.param(
        {"httpMethod": "GET", "headers": None, "body": None, "requestContext": {}}, id="rest"
    ),
    pytest.param(
        {"version": "2.0", "routeKey": "$default", "headers": [], "requestContext": None},
        id="http-v2-bad-types",
    ),
    pytest.param({"triggerSource": "PreSignUp_SignUp", "userPoolId": "p", "request": {}}, id="cog"),
    pytest.param(
        {"source": "aws.events", "detail-type": "Scheduled Event", "detail": None}, id="eb"
    ),
    pytest.param({"deliveryStreamArn": "arn", "records": None}, id="firehose-null"),
    pytest.param({"eventSource": "aws:kafka", "records": {"t-0": None}}, id="kafka-null"),
    pytest.param({"eventSource": "aws:kafka", "records": []}, id="kafka-list"),
]


@pytest.mark.parametrize("event", SHAPES)
def test_half_shaped_event_gets_a_verdict(event):
    verdict = inspect(event)
    assert verdict.source in sources.BY_ID


@pytest.mark.parametrize("event", SHAPES)
def test_half_shaped_event_through_wrapper(guard, event):
    guard.configure(Policy(function="hardening"))
    try:
        guard(event)
    except Exception as exc:
        frames: list[Any] = []
        tb = exc.__traceback__
        while tb is not None:
            frames.append(tb.tb_frame.f_code.co_name)
            tb = tb.tb_next
        # a source may refuse a blocked event by raising (Cognito); nothing else may escape
        assert "blocked_response" in frames, f"{type(exc).__name__}: {exc}"
