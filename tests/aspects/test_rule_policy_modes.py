"""EventGuard-InvalidPolicy and EventGuard-AlertMode read the EVENTGUARD_POLICY of a function."""

from __future__ import annotations

import json

from eventguard.aspects.rules import alert_mode, invalid_policy


def test_block_mode_is_compliant(check, t):
    doc = t.base()
    assert check(alert_mode, doc, "Fn").status == "compliant"
    assert check(invalid_policy, doc, "Fn").status == "compliant"


def test_fails_alert_mode(check, t):
    doc = t.base(t.secure_function(policy=dict(t.POLICY, mode="alert")))
    result = check(alert_mode, doc, "Fn")
    assert result.status == "non_compliant"
    assert alert_mode.LEVEL == "warning"


def test_policy_with_tokens_is_parsed(check, t):
    text = json.dumps(dict(t.POLICY, mode="alert"), separators=(",", ":"))
    head, tail = text.split("arn:aws:sqs:eu-west-1:1:q")
    joined = {"Fn::Join": ["", [head, {"Fn::GetAtt": ["Queue", "Arn"]}, tail]]}
    doc = t.base(t.secure_function(policy=joined))
    assert check(invalid_policy, doc, "Fn").status == "compliant"
    assert check(alert_mode, doc, "Fn").status == "non_compliant"


def test_rejects_policy_the_runtime_refuses(check, t):
    doc = t.base(t.secure_function(policy=dict(t.POLICY, surprise=1)))
    result = check(invalid_policy, doc, "Fn")
    assert result.status == "non_compliant"
    assert "unknown policy keys: surprise" in result.violations[0].message
    doc = t.base(t.secure_function(policy="{not json"))
    assert check(invalid_policy, doc, "Fn").status == "non_compliant"


def test_plain_function_is_not_applicable(check, t):
    doc = t.base(t.plain_function())
    assert check(alert_mode, doc, "Fn").status == "not_applicable"
    assert check(invalid_policy, doc, "Fn").status == "not_applicable"
