"""A SecureFunction's policy holds an EventBridge rule's event pattern that is not the pattern the
rule was synthesized with.

``EventBridgeRule`` copies its rule's pattern into the policy (``triggers[].pattern``), and the
runtime reports an EventBridge event that matches no declared pattern as ``unexpected_source``:
in block mode, it is refused. The copy is read from the rule's L1 ``EventPattern`` when the policy
is rendered; an escape-hatch override (``add_property_override("EventPattern", ...)``) changes the
template but not that property, and the function would then refuse its own rule's events. This
rule compares the two in the synthesized app; a rule the policy names but the app does not hold
cannot be compared, which is a finding too.
"""

from __future__ import annotations

import json
from typing import Any

from ..functions import effective_policy
from ..model import Resource, Template
from . import NOT_APPLICABLE, Result, Violation, fail

NAME = "EventGuard-StaleEventPattern"
LEVEL = "error"
INFO = "A SecureFunction's policy holds an EventBridge pattern its rule does not have."
EXPLANATION = (
    "The runtime refuses (block mode) an EventBridge event that matches none of the patterns its "
    "policy declares. A pattern changed after the policy was rendered, e.g. with "
    "add_property_override('EventPattern', ...), leaves the policy with the old one, and the "
    "function refuses its own rule's events. Set the pattern through events.Rule(event_pattern="
    "...) or rule.add_event_pattern(...), not an escape-hatch override."
)


def check(resource: Resource, template: Template) -> Result:
    if resource.type != "AWS::Lambda::Function":
        return NOT_APPLICABLE
    doc, _ = effective_policy(resource)  # None: EventGuard-InvalidPolicy reports it
    declared = _declared(doc)
    if not declared:
        return NOT_APPLICABLE
    rules = {
        (_bus(rule.prop("EventBusName")), rule.prop("Name")): rule
        for rule in template.app.resources()
        if rule.type == "AWS::Events::Rule" and isinstance(rule.prop("Name"), str)
    }
    violations = []
    for origin, pattern in declared:
        bus, name = _rule_of(origin)
        rule = rules.get((bus, name))
        if rule is None:
            violations.append(
                Violation(
                    origin,
                    f"{resource.path}: its policy declares the pattern of EventBridge rule "
                    f"{name!r} (bus {bus!r}), which is not in the app: the pattern cannot be "
                    "checked against the rule's",
                )
            )
        elif _canonical(rule.prop("EventPattern")) != _canonical(pattern):
            violations.append(
                Violation(
                    origin,
                    f"{resource.path}: its policy holds a pattern for rule {rule.path} that "
                    "differs from the rule's EventPattern in the template (an escape-hatch "
                    "override?); the function would refuse the rule's events",
                    related=(rule,),
                )
            )
    return fail(*violations)


def _declared(doc: dict[str, Any] | None) -> list[tuple[str, Any]]:
    """(origin, pattern) of each EventBridge trigger of the policy that has a pattern."""
    triggers = doc.get("triggers") if isinstance(doc, dict) else None
    if not isinstance(triggers, list):
        return []
    return [
        (str(t.get("id", "")), t["pattern"])
        for t in triggers
        if isinstance(t, dict) and t.get("source") == "eventbridge" and t.get("pattern")
    ]


def _rule_of(origin: str) -> tuple[str, str]:
    """(bus, rule name) of a rule ARN (``...:rule/name`` or ``...:rule/bus/name``)."""
    path = origin.rpartition(":rule/")[2] if ":rule/" in origin else origin
    bus, _, name = path.rpartition("/")
    return _bus(bus), name


def _bus(name: Any) -> str:
    return name if isinstance(name, str) and name not in ("", "default") else "default"


def _canonical(pattern: Any) -> str | None:
    """A pattern (a JSON object, or its text) as sorted, compact JSON; None when it is neither."""
    if isinstance(pattern, str):
        try:
            pattern = json.loads(pattern)
        except ValueError:
            return None
    if not isinstance(pattern, dict):
        return None
    return json.dumps(pattern, sort_keys=True, separators=(",", ":"))
