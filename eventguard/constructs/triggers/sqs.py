"""Amazon SQS queue -> function, through the stock ``SqsEventSource``.

Partial batch responses are always on: the runtime removes blocked messages from the batch and
reports the ones it could not quarantine as item failures, so none is lost. The origin id is the
queue ARN (``Records[*].eventSourceARN``).
"""

from __future__ import annotations

from typing import Any

import jsii
from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs

from ._base import Trigger


@jsii.implements(lambda_.IEventSource)
class Sqs(Trigger):
    """Messages of ``queue`` invoke the function in batches.

    :param batch_size: messages per invocation; default 10 (the event source's default).
    :param max_batching_window: how long to gather a batch; default none.
    :param max_concurrency: concurrent invocations for this queue; default unlimited.
    :param filters: Lambda event filter patterns; default none (every message).
    :param enabled: whether the mapping is enabled; default True.
    """

    SOURCE = "sqs"

    def __init__(
        self,
        queue: sqs.IQueue,
        *,
        batch_size: int | None = None,
        max_batching_window: Duration | None = None,
        max_concurrency: int | None = None,
        filters: list[dict[str, Any]] | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.queue = queue
        self._source = sources.SqsEventSource(
            queue,
            batch_size=batch_size,
            max_batching_window=max_batching_window,
            max_concurrency=max_concurrency,
            filters=filters,
            enabled=enabled,
            report_batch_item_failures=True,
        )

    def _attach(self, target: lambda_.IFunction) -> tuple[str, dict[str, Any]]:
        self._source.bind(target)
        return self.queue.queue_arn, {"fifo": bool(self.queue.fifo)}
