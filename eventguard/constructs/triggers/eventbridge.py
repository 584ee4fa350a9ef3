"""Amazon EventBridge -> function: an existing rule (``EventBridgeRule``) or a schedule
(``Schedule``), through the stock ``aws_events_targets.LambdaFunction`` target.

The origin id is the rule ARN (``resources`` of a scheduled event; for other events the runtime
reads the rule ARN from the invocation). Source type ids: ``eventbridge`` and ``scheduled``.
"""

from __future__ import annotations

from typing import Any, cast

import jsii
from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

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
        self.rule.add_target(_target(target, *self._options))
        return self.rule.rule_arn, {}


@jsii.implements(lambda_.IEventSource)
class Schedule(Trigger):
    """A schedule invokes the function; the rule is created as a child of the function.

    :param id: the construct id of the rule; default ``Schedule`` (set one per schedule when a
        function has several).
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
        self.rule = events.Rule(
            cast(Construct, target),
            self.id,
            schedule=self.schedule,
            description=self.description,
            targets=[_target(target, *self._options)],
        )
        return self.rule.rule_arn, {}
