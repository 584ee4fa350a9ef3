"""Origin verification of EventBridge events by the declared rules' event patterns: the policy
carries the pattern, ``inspect`` accepts an event a declared rule's pattern matches and reports
``unexpected_source`` for one no pattern matches, unless a trigger has no pattern."""

from __future__ import annotations

import json
from typing import Any

import pytest

from eventguard.runtime import inspect
from eventguard.runtime.errors import PolicyError
from eventguard.runtime.model import LIMIT_EXCEEDED, UNEXPECTED_SOURCE
from eventguard.runtime.policy import Policy, Trigger, from_dict

SAMPLE = "eventbridge/own--custom-putevents.json"
RULE = "arn:aws:events:us-east-2:123456789012:rule/shop-orders"
ORDERS = {"source": ["com.example.shop"], "detail-type": ["OrderPlaced"]}
REFUNDS = {"source": ["com.example.shop"], "detail-type": ["RefundIssued"]}


def _policy(*patterns: dict[str, Any] | None) -> Policy:
    triggers = []
    for i, pattern in enumerate(patterns):
        raw: dict[str, Any] = {"source": "eventbridge", "id": f"{RULE}-{i}"}
        if pattern is not None:
            raw["pattern"] = pattern
        triggers.append(raw)
    return from_dict({"v": 1, "triggers": triggers})


def _origin_findings(event: Any, policy: Policy) -> list[Any]:
    verdict = inspect(event, policy=policy)
    return [f for f in verdict.findings if f.rule in (UNEXPECTED_SOURCE, LIMIT_EXCEEDED)]


def test_policy_keeps_the_pattern_as_canonical_json() -> None:
    (trigger,) = _policy({"source": ["b", "a"], "detail-type": ["x"]}).triggers
    assert trigger.pattern == '{"detail-type":["x"],"source":["b","a"]}'
    assert trigger == Trigger("eventbridge", f"{RULE}-0", pattern=trigger.pattern)
    assert hash(trigger) == hash(Trigger("eventbridge", f"{RULE}-0", pattern=trigger.pattern))
    assert "pattern=" in repr(trigger)


def test_rejects_a_pattern_that_is_not_an_object() -> None:
    with pytest.raises(PolicyError, match="pattern"):
        from_dict({"triggers": [{"source": "eventbridge", "id": RULE, "pattern": "source"}]})


def test_an_event_the_declared_pattern_matches_is_accepted(kit) -> None:
    assert _origin_findings(kit.load(SAMPLE), _policy(ORDERS)) == []


def test_an_event_one_of_several_patterns_matches_is_accepted(kit) -> None:
    assert _origin_findings(kit.load(SAMPLE), _policy(REFUNDS, ORDERS)) == []


def test_rejects_an_event_no_declared_pattern_matches(kit) -> None:
    event = kit.put(kit.load(SAMPLE), "source", "forged.sender")
    policy = _policy(ORDERS, REFUNDS)
    (finding,) = _origin_findings(event, policy)
    assert (finding.path, finding.rule, finding.excerpt, finding.detail) == (
        "$",
        UNEXPECTED_SOURCE,
        "forged.sender",
        "eventbridge",
    )
    assert inspect(event, policy=policy).blocked


def test_a_trigger_without_pattern_accepts_any_eventbridge_event(kit) -> None:
    event = kit.put(kit.load(SAMPLE), "source", "forged.sender")
    assert _origin_findings(event, _policy(ORDERS, None)) == []


def test_a_pattern_this_runtime_cannot_match_accepts(kit) -> None:
    event = kit.put(kit.load(SAMPLE), "source", "forged.sender")
    assert _origin_findings(event, _policy(ORDERS, {"source": [{"contains": "x"}]})) == []


def test_scheduled_events_are_not_checked_against_eventbridge_patterns(kit) -> None:
    event = kit.load(SAMPLE)
    event.update({"source": "aws.events", "detail-type": "Scheduled Event", "resources": [RULE]})
    policy = Policy(
        triggers=(
            Trigger("eventbridge", RULE, pattern=json.dumps(ORDERS)),
            Trigger("scheduled", RULE),
        )
    )
    verdict = inspect(event, policy=policy)
    assert verdict.source == "scheduled"
    assert [f for f in verdict.findings if f.rule == UNEXPECTED_SOURCE] == []


def test_a_hostile_event_costs_a_bounded_match_and_is_a_limit(kit) -> None:
    event = kit.put(kit.load(SAMPLE), "resources", ["x"] * 300_000)
    pattern = {"resources": [{"prefix": "arn:"}, {"suffix": "/r"}, {"wildcard": "*:rule/*"}]}
    # The 300,000 resources are untrusted fields too: extraction stops at a limit of its own
    # (fields or time), reported besides the pattern's.
    found = _origin_findings(event, _policy(pattern))
    assert {f.rule for f in found} == {LIMIT_EXCEEDED}
    assert "MAX_PATTERN_STEPS" in {f.detail for f in found}
