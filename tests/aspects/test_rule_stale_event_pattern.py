"""EventGuard-StaleEventPattern: the pattern a SecureFunction's policy declares for an EventBridge
rule is the rule's EventPattern in the synthesized app."""

from __future__ import annotations

from typing import Any

from eventguard.aspects.rules import stale_event_pattern

PATTERN = {"source": ["my.app"], "detail-type": ["Order"]}
RULE_ARN = "arn:aws:events:eu-west-1:1:rule/orders"


def _rule(pattern: Any = PATTERN, name: str = "orders", bus: str | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {"Name": name, "EventPattern": pattern, "State": "ENABLED"}
    if bus:
        props["EventBusName"] = bus
    return {
        "Type": "AWS::Events::Rule",
        "Properties": props,
        "Metadata": {"aws:cdk:path": f"S/{name}/Resource"},
    }


def _function(t: Any, *triggers: dict[str, Any]) -> dict[str, Any]:
    return t.secure_function(policy=dict(t.POLICY, triggers=list(triggers)))


def _trigger(pattern: Any = PATTERN, origin: str = RULE_ARN) -> dict[str, Any]:
    return {"source": "eventbridge", "id": origin, "pattern": pattern}


def test_the_same_pattern_is_compliant(check, t):
    # key order and layout do not matter
    reordered = {"detail-type": ["Order"], "source": ["my.app"]}
    doc = t.base(_function(t, _trigger(reordered)), Rule=_rule())
    assert check(stale_event_pattern, doc, "Fn").status == "compliant"


def test_an_overridden_pattern_fails(check, t):
    doc = t.base(_function(t, _trigger()), Rule=_rule({"source": ["other.app"]}))
    result = check(stale_event_pattern, doc, "Fn")
    assert result.status == "non_compliant"
    assert "differs from the rule's EventPattern" in result.violations[0].message
    assert result.violations[0].related[0].logical_id == "Rule"


def test_a_pattern_with_an_intrinsic_in_the_template_fails(check, t):
    pattern = {"source": [{"Ref": "SourceParam"}]}
    doc = t.base(_function(t, _trigger()), Rule=_rule(pattern))
    assert check(stale_event_pattern, doc, "Fn").status == "non_compliant"


def test_a_rule_missing_from_the_app_cannot_be_compared(check, t):
    doc = t.base(_function(t, _trigger(origin="arn:aws:events:eu-west-1:1:rule/gone")))
    result = check(stale_event_pattern, doc, "Fn")
    assert result.status == "non_compliant"
    assert "not in the app" in result.violations[0].message


def test_rules_on_a_custom_bus_and_in_another_stack(check, t):
    origin = "arn:${token}:events:${token}:${token}:rule/shop-bus/orders"
    function = t.base(_function(t, _trigger(origin=origin)))
    rules = {"Resources": {"Rule": _rule(bus="shop-bus"), "Other": _rule(name="orders")}}
    app = check.app({"S": function, "R": rules})
    template = app.templates[0]
    result = stale_event_pattern.check(template.resources["Fn"], template)
    assert result.status == "compliant"
    rules["Resources"]["Rule"] = _rule({"source": ["x"]}, bus="shop-bus")
    app = check.app({"S": function, "R": rules})
    template = app.templates[0]
    assert stale_event_pattern.check(template.resources["Fn"], template).status == "non_compliant"


def test_not_applicable_without_a_declared_pattern(check, t):
    plain_trigger = {"source": "eventbridge", "id": RULE_ARN}
    assert check(stale_event_pattern, t.base(_function(t, plain_trigger)), "Fn").status == (
        "not_applicable"
    )
    assert check(stale_event_pattern, t.base(), "Fn").status == "not_applicable"
    assert check(stale_event_pattern, t.base(t.plain_function()), "Fn").status == ("not_applicable")
