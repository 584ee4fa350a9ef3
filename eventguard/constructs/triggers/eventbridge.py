"""Amazon EventBridge -> function: an existing rule (``EventBridgeRule``) or a schedule
(``Schedule``), through the stock ``aws_events_targets.LambdaFunction`` target.

The origin id is the rule ARN (``resources`` of a scheduled event). A rule's target refers to
the function, so the function's environment cannot refer to the rule (``Fn::GetAtt Rule.Arn``
would be a dependency cycle CloudFormation refuses): the ARN is built from the rule's literal
name instead. ``Schedule`` names its rule after the function's path; ``EventBridgeRule`` needs a
rule created with ``rule_name=``. Source type ids: ``eventbridge`` and ``scheduled``.

An event a rule delivers does not name the rule, so ``EventBridgeRule`` also puts the rule's
event pattern into the trigger (``pattern``), read when the policy is rendered (so a pattern
changed after binding counts): the runtime then accepts only EventBridge events that match a
declared rule's pattern. A pattern that refers to deploy-time values (tokens), that the runtime
matcher does not support, or that does not fit Lambda's 4 KB environment is left out with a
synth-time warning on the function, and the runtime accepts any EventBridge event, as before.
"""

from __future__ import annotations

import json
from typing import Any, cast

import jsii
from aws_cdk import Duration, Names, Stack, Token
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from ...runtime.sources import _event_pattern
from .._policy import Deferred
from ._base import Trigger


def _target(
    fn: lambda_.IFunction,
    dead_letter_queue: sqs.IQueue | None,
    retry_attempts: int | None,
    max_event_age: Duration | None,
) -> targets.LambdaFunction:
    return targets.LambdaFunction(
        fn,
        dead_letter_queue=dead_letter_queue,
        retry_attempts=retry_attempts,
        max_event_age=max_event_age,
    )


def rule_arn(scope: Construct, rule_name: str, event_bus_name: str | None = None) -> str:
    """The ARN of a rule from its literal name (no reference to the rule resource)."""
    bus = event_bus_name if event_bus_name and event_bus_name != "default" else None
    return Stack.of(scope).format_arn(
        service="events",
        resource="rule",
        resource_name=f"{bus}/{rule_name}" if bus else rule_name,
    )


def _literal(value: object) -> str | None:
    return value if isinstance(value, str) and not Token.is_unresolved(value) else None


def _has_token(value: Any) -> bool:
    """True when a resolved value holds a CloudFormation intrinsic or an unresolved token."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if any(k == "Ref" or str(k).startswith("Fn::") for k in item):
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and Token.is_unresolved(item):
            return True
    return False


class RulePattern(Deferred):
    """The event pattern of ``rule`` as plain JSON, when the runtime can match it."""

    def __init__(self, rule: events.Rule) -> None:
        self.rule = rule
        self.label = f"the event pattern of rule {rule.node.path}"
        self.consequence = (
            "EventBridge events reaching this function are accepted from any sender, as the "
            "runtime checks them only when every EventBridge trigger has a pattern"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RulePattern) and other.rule is self.rule

    def __hash__(self) -> int:
        return hash(self.rule.node.path)

    def resolve(self) -> tuple[Any, str]:
        raw = getattr(self.rule.node.default_child, "event_pattern", None)
        if raw is None:
            return None, ""  # a schedule, no pattern: nothing to verify by
        pattern = Stack.of(self.rule).resolve(raw)
        if pattern is None:
            return None, ""
        if isinstance(pattern, str) and not Token.is_unresolved(pattern):
            try:
                pattern = json.loads(pattern)
            except ValueError:
                return None, "it is not JSON"
        if _has_token(pattern):
            return None, "it refers to deploy-time values (tokens); use literal values"
        try:
            _event_pattern.parse(pattern)
        except _event_pattern.Unsupported as exc:
            return None, f"the runtime cannot match it ({exc})"
        return pattern, ""


@jsii.implements(lambda_.IEventSource)
class EventBridgeRule(Trigger):
    """Events matched by ``rule`` invoke the function.

    :param dead_letter_queue: where EventBridge puts events it failed to deliver; default none.
    :param retry_attempts: delivery retries; default 185 (EventBridge's default).
    :param max_event_age: oldest event EventBridge still delivers; default 24 hours.
    """

    SOURCE = "eventbridge"

    def __init__(
        self,
        rule: events.IRule,
        *,
        dead_letter_queue: sqs.IQueue | None = None,
        retry_attempts: int | None = None,
        max_event_age: Duration | None = None,
    ) -> None:
        self.rule = rule
        self._options = (dead_letter_queue, retry_attempts, max_event_age)

    def _attach(self, target: lambda_.IFunction) -> tuple[str, dict[str, Any]]:
        if not isinstance(self.rule, events.Rule):
            raise TypeError(
                f"{target.node.path}: EventBridgeRule needs a rule defined in this app "
                "(events.Rule); an imported rule cannot get a new target from CDK"
            )
        cfn = self.rule.node.default_child
        name = _literal(getattr(cfn, "name", None))
        if name is None:
            raise ValueError(
                f"{target.node.path}: rule {self.rule.node.path} has no literal name, so its ARN "
                "cannot go into the function's policy without a dependency cycle; create it "
                "with events.Rule(..., rule_name='...')"
            )
        self.rule.add_target(_target(target, *self._options))
        bus = _literal(getattr(cfn, "event_bus_name", None))
        return rule_arn(cast(Construct, target), name, bus), {"pattern": RulePattern(self.rule)}


@jsii.implements(lambda_.IEventSource)
class Schedule(Trigger):
    """A schedule invokes the function; the rule is created as a child of the function.

    :param id: the construct id of the rule, also the end of its name; default ``Schedule`` (set
        one per schedule when a function has several).
    :param description: the rule's description; default none.
    :param dead_letter_queue: where EventBridge puts invocations it failed; default none.
    :param retry_attempts: delivery retries; default 185 (EventBridge's default).
    """

    SOURCE = "scheduled"

    def __init__(
        self,
        schedule: events.Schedule,
        *,
        id: str = "Schedule",
        description: str | None = None,
        dead_letter_queue: sqs.IQueue | None = None,
        retry_attempts: int | None = None,
    ) -> None:
        self.schedule = schedule
        self.id = id
        self.description = description
        self._options = (dead_letter_queue, retry_attempts, None)
        self.rule: events.Rule | None = None

    def _attach(self, target: lambda_.IFunction) -> tuple[str, dict[str, Any]]:
        scope = cast(Construct, target)
        # unique per account and region: derived from the function's path, at most 64 characters
        name = f"{Names.unique_resource_name(scope, max_length=63 - len(self.id))}-{self.id}"
        self.rule = events.Rule(
            scope,
            self.id,
            rule_name=name,
            schedule=self.schedule,
            description=self.description,
            targets=[_target(target, *self._options)],
        )
        return rule_arn(scope, name), {}
