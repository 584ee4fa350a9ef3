"""Amazon Kinesis data stream -> function, through the stock ``KinesisEventSource``.

Partial batch responses are always on and a poisoned batch is bisected. The origin id is the
stream ARN (``Records[*].eventSourceARN``).
"""

from __future__ import annotations

from typing import Any

import jsii
from aws_cdk import Duration
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources

from ._base import Trigger, stream_options


@jsii.implements(lambda_.IEventSource)
class Kinesis(Trigger):
    """Records of ``stream`` invoke the function.

    :param starting_position: where to start reading; default ``StartingPosition.LATEST``.
    :param batch_size: records per invocation; default 100 (the event source's default).
    :param retry_attempts: retries of a failed batch; default 3 (the stock default is endless).
    :param max_record_age: records older than this are skipped; default none.
    :param on_failure: where records that failed every retry go; default none.
    """

    SOURCE = "kinesis"

    def __init__(
        self,
        stream: kinesis.IStream,
        *,
        starting_position: lambda_.StartingPosition = lambda_.StartingPosition.LATEST,
        batch_size: int | None = None,
        retry_attempts: int = 3,
        max_record_age: Duration | None = None,
        on_failure: lambda_.IEventSourceDlq | None = None,
    ) -> None:
        self.stream = stream
        self._source = sources.KinesisEventSource(
            stream,
            **stream_options(
                starting_position=starting_position,
                batch_size=batch_size,
                retry_attempts=retry_attempts,
                max_record_age=max_record_age,
                on_failure=on_failure,
            ),
        )

    def _attach(self, target: lambda_.IFunction) -> tuple[str, dict[str, Any]]:
        self._source.bind(target)
        return self.stream.stream_arn, {}
