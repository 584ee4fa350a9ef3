"""Amazon SNS topic -> function, through the stock ``SnsEventSource`` (a subscription).

The origin id is the topic ARN (``Records[*].Sns.TopicArn``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsii
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs

from ._base import Trigger


@jsii.implements(lambda_.IEventSource)
class Sns(Trigger):
    """Messages published to ``topic`` invoke the function.

    :param dead_letter_queue: where SNS puts messages it failed to deliver; default none.
    :param filter_policy: SNS subscription filter on message attributes; default none.
    """

    SOURCE = "sns"

    def __init__(
        self,
        topic: sns.ITopic,
        *,
        dead_letter_queue: sqs.IQueue | None = None,
        filter_policy: Mapping[str, sns.SubscriptionFilter] | None = None,
    ) -> None:
        self.topic = topic
        self._source = sources.SnsEventSource(
            topic, dead_letter_queue=dead_letter_queue, filter_policy=filter_policy
        )

    def _attach(self, target: lambda_.IFunction) -> tuple[str, dict[str, Any]]:
        self._source.bind(target)
        return self.topic.topic_arn, {}
