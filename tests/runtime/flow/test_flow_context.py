"""The flow context on its own: signing, checking and where it is found in an event."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import pytest

from eventguard.runtime import flow
from eventguard.runtime.flow import Expected, canonical, check, digest, resource_name, sign

KEY = b"k" * 32
OLD = b"o" * 32
CALLERS = frozenset({"Shop/Api"})


def make(**overrides: object) -> str:
    args: dict[str, object] = {
        "caller": "Shop/Api",
        "request_id": "r-1",
        "carrier": "sqs",
        "to": "orders",
        "payload_digest": digest("hello"),
    }
    args.update(overrides)
    key = args.pop("key", KEY)
    return sign(key, **args)  # type: ignore[arg-type]


def verdict(text: object, expected: Expected | None = None, **kw: object) -> str:
    expected = expected or Expected("sqs", "orders", digest("hello"), time.time())
    keys = kw.pop("keys", (KEY, OLD))
    problem, _ = check(
        text,
        expected,
        keys,
        callers=kw.pop("callers", CALLERS),  # type: ignore[arg-type]
        max_age=kw.pop("max_age", 300),
    )  # type: ignore[arg-type]
    return problem


def test_a_fresh_context_from_a_declared_caller_verifies() -> None:
    assert verdict(make()) == ""
    assert verdict(make(key=OLD)) == ""  # signed with AWSPREVIOUS during a rotation
    assert verdict(make(caller="Other"), callers=frozenset()) == ""  # no graph: any signer


@pytest.mark.parametrize(
    ("text", "expected", "problem"),
    [
        (make(key=b"x" * 32), None, "signature does not verify"),
        (make(caller="Shop/Evil"), None, "not in the declared flow graph"),
        (make(now=time.time() - 3600), None, "stale"),
        (make(now=time.time() + 3600), None, "from the future"),
        (make(carrier="sns"), None, "arrived by sqs"),
        (make(to="refunds"), None, "arrived at 'orders'"),
        (make(payload_digest=digest("other")), None, "payload does not match"),
        ("not json", None, "not JSON"),
        ("x" * 5000, None, "sane size"),
        (json.dumps({"v": 1, "fn": "Shop/Api"}), None, "not signed"),
        (json.dumps({"v": 9}), None, "unknown version"),
        (None, None, "sane size"),
    ],
)
def test_rejects_bad_contexts(text: object, expected: Expected | None, problem: str) -> None:
    assert problem in verdict(text, expected)


def test_rejects_a_field_changed_after_signing() -> None:
    doc = json.loads(make())
    doc["fn"] = "Shop/Admin"
    assert "signature" in verdict(json.dumps(doc), callers=frozenset())


def test_freshness_is_measured_against_the_carrier_time() -> None:
    hour_ago = time.time() - 3600
    redelivered = Expected("sqs", "orders", digest("hello"), hour_ago + 5)
    assert verdict(make(now=hour_ago), redelivered) == ""


@pytest.mark.parametrize(
    ("ref", "name"),
    [
        ("https://sqs.eu-west-1.amazonaws.com/123456789012/orders", "orders"),
        ("arn:aws:sqs:eu-west-1:123456789012:orders", "orders"),
        ("arn:aws:sns:eu-west-1:123456789012:events", "events"),
        ("arn:aws:lambda:eu-west-1:123456789012:function:pay:live", "pay"),
        ("123456789012:function:pay", "pay"),
        ("pay:live", "pay"),
        ("pay", "pay"),
    ],
)
def test_resource_names(ref: str, name: str) -> None:
    assert resource_name(ref) == name


def test_carriers_of_each_event_shape() -> None:
    ctx = make()
    sqs = {
        "Records": [
            {
                "eventSource": "aws:sqs",
                "body": "hello",
                "eventSourceARN": "arn:aws:sqs:r:1:orders",
                "attributes": {"SentTimestamp": "1700000000000"},
                "messageAttributes": {flow.KEY: {"stringValue": ctx, "dataType": "String"}},
            },
            {"eventSource": "aws:sqs", "body": "bye", "eventSourceARN": "arn:aws:sqs:r:1:orders"},
        ]
    }
    found = list(flow.carriers(sqs, None))
    assert [(p, r, s, t) for p, r, s, t, _ in found] == [
        ("Records[0]", 0, "sqs", ctx),
        ("Records[1]", 1, "sqs", None),
    ]
    assert found[0][4] == Expected("sqs", "orders", digest("hello"), 1700000000.0)
    detail = {"order": 1, flow.KEY: ctx}
    eb = {
        "detail-type": "Order",
        "source": "shop",
        "detail": detail,
        "time": "2026-01-01T00:00:00Z",
    }
    ((_, _, source, text, expected),) = flow.carriers(eb, None)
    assert (source, text, expected.carrier) == ("eventbridge", ctx, "events")
    assert expected.payload_digest == digest(canonical({"order": 1}))
    context = SimpleNamespace(
        client_context=SimpleNamespace(custom={flow.KEY: ctx}), function_name="pay"
    )
    ((_, _, source, text, expected),) = flow.carriers({"a": 1}, context)
    assert (source, text, expected) == ("direct", ctx, Expected("lambda", "pay", digest('{"a":1}')))
    ((_, _, _, text, expected),) = flow.carriers({"a": 1, flow.KEY: ctx}, None)
    assert (text, expected.carrier) == (ctx, "sfn")


@pytest.mark.parametrize(
    "event",
    [
        None,
        [1],
        "text",
        {"Records": "x"},
        {"Records": [None]},
        {"Records": [{"eventSource": "aws:sqs", "messageAttributes": {flow.KEY: "x"}}]},
        {"Records": [{"EventSource": "aws:sns", "Sns": {"MessageAttributes": []}}]},
        {"detail-type": 1, "detail": [1]},
        {flow.KEY: 5},
    ],
)
def test_odd_events_yield_findings_never_exceptions(event: object) -> None:
    from eventguard.runtime.policy import from_dict

    pol = from_dict(
        {"flow": {"name": "x", "require": ["direct", "sqs", "sns", "eventbridge"], "sign": False}}
    )
    findings = flow.verify(event, object(), pol)
    assert len(findings) == 1 and findings[0].rule == "unexpected_flow"
