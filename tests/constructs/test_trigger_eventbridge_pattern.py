"""``EventBridgeRule`` puts its rule's event pattern into the function's policy when the runtime
can use it; a pattern with tokens, one the matcher does not support, or one that would not fit
Lambda's 4 KB environment is left out with a synth-time warning, and synth still succeeds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Annotations, Match, Template

from eventguard.constructs import SecureFunction, triggers
from eventguard.constructs._policy import ENV_LIMIT_BYTES, NOTE_ID
from eventguard.runtime.policy import from_dict

CODE = str(Path(__file__).resolve().parents[2] / "examples" / "shop" / "handlers" / "orders")
BIG = 1800  # characters of one large (but supported) pattern; three do not fit 4 KB together


def _rule(stack: Stack, name: str, pattern: events.EventPattern) -> events.Rule:
    return events.Rule(
        stack, f"{name}Rule", rule_name=f"probe-{name.lower()}", event_pattern=pattern
    )


def _big(stack: Stack, name: str, size: int) -> events.Rule:
    return _rule(stack, name, events.EventPattern(source=[name], detail={"x": ["y" * size]}))


@pytest.fixture(scope="module")
def synth() -> Any:
    stack = Stack(App(), "Patterns")
    code = lambda_.Code.from_asset(CODE)

    def fn(name: str, *rules: events.Rule) -> SecureFunction:
        return SecureFunction(
            stack,
            name,
            code=code,
            handler="orders.handler",
            triggers=[triggers.EventBridgeRule(rule) for rule in rules],
        )

    orders = _rule(stack, "Orders", events.EventPattern(source=["my.app"], detail_type=["Order"]))
    queue = sqs.Queue(stack, "Queue")
    tokened = _rule(stack, "Tokened", events.EventPattern(source=["my.app"]))
    tokened.add_event_pattern(detail={"queue": [queue.queue_arn]})
    contains = _rule(
        stack,
        "Contains",
        events.EventPattern(source=["my.app"], detail={"x": [{"contains": "y"}]}),
    )
    huge = _big(stack, "Huge", 3000)
    big = [_big(stack, f"Big{i}", BIG + i) for i in range(3)]
    functions = {
        "Literal": fn("Literal", orders),
        "Tokens": fn("Tokens", tokened, contains),
        "Huge": fn("Huge", huge),
        "Budget": fn("Budget", *big),
    }
    template = Template.from_stack(stack)
    resources = template.to_json()["Resources"]
    by_name = {
        name: resources[stack.get_logical_id(f.node.default_child)]  # type: ignore[arg-type]
        for name, f in functions.items()
    }
    return stack, by_name, Annotations.from_stack(stack)


def _triggers(synth: Any, policy_of: Any, name: str) -> list[dict[str, Any]]:
    return list(policy_of(synth[1][name])["triggers"])


def _warnings(synth: Any, name: str) -> list[str]:
    found = synth[2].find_warning(f"/Patterns/{name}", Match.string_like_regexp(".*"))
    return [str(m.entry.data) for m in found]


def test_a_literal_pattern_lands_in_the_policy(synth: Any, policy_of: Any) -> None:
    (trigger,) = _triggers(synth, policy_of, "Literal")
    assert trigger["source"] == "eventbridge"
    assert trigger["id"].endswith(":rule/probe-orders")
    assert trigger["pattern"] == {"source": ["my.app"], "detail-type": ["Order"]}
    assert _warnings(synth, "Literal") == []
    policy = from_dict(policy_of(synth[1]["Literal"]))
    assert policy.triggers[0].pattern == '{"detail-type":["Order"],"source":["my.app"]}'


def test_rejects_a_pattern_with_tokens_and_warns(synth: Any, policy_of: Any) -> None:
    assert all("pattern" not in t for t in _triggers(synth, policy_of, "Tokens"))
    warnings = _warnings(synth, "Tokens")
    assert any("rule Patterns/TokenedRule" in w and "tokens" in w for w in warnings)
    assert any("rule Patterns/ContainsRule" in w and "'contains'" in w for w in warnings)
    assert all(NOTE_ID in w for w in warnings)


def test_rejects_a_pattern_past_the_runtime_limit_and_warns(synth: Any, policy_of: Any) -> None:
    (trigger,) = _triggers(synth, policy_of, "Huge")
    assert "pattern" not in trigger
    (warning,) = _warnings(synth, "Huge")
    assert "rule Patterns/HugeRule" in warning and "characters" in warning


def test_patterns_that_overflow_4kb_are_left_out_largest_first(synth: Any, policy_of: Any) -> None:
    found = _triggers(synth, policy_of, "Budget")
    kept = [t["id"].rsplit("/", 1)[1] for t in found if "pattern" in t]
    assert kept == ["probe-big0", "probe-big1"][: len(kept)] and kept
    warnings = _warnings(synth, "Budget")
    assert any("rule Patterns/Big2Rule" in w and str(ENV_LIMIT_BYTES) in w for w in warnings)
    assert len(warnings) == 3 - len(kept)
