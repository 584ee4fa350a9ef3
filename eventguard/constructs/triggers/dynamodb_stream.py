"""Amazon DynamoDB table stream -> function, through the stock ``DynamoEventSource``.

Partial batch responses are always on and a poisoned batch is bisected, so one blocked record
never holds the shard. The origin id is the table's stream ARN (``Records[*].eventSourceARN``).
"""

from __future__ import annotations

from typing import Any

import jsii
from aws_cdk import Duration
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources

from ._base import Trigger, stream_options


@jsii.implements(lambda_.IEventSource)
class DynamoDbStream(Trigger):
    """Changes of ``table`` (which must have a stream) invoke the function.

    :param starting_position: where to start reading; default ``StartingPosition.TRIM_HORIZON``.
    :param batch_size: records per invocation; default 100 (the event source's default).
    :param retry_attempts: retries of a failed batch; default 3 (the stock default is endless).
    :param max_record_age: records older than this are skipped; default none.
    :param on_failure: where records that failed every retry go; default none.
    """

    SOURCE = "dynamodb-stream"

    def __init__(
        self,
        table: dynamodb.ITable,
        *,
        starting_position: lambda_.StartingPosition = lambda_.StartingPosition.TRIM_HORIZON,
        batch_size: int | None = None,
        retry_attempts: int = 3,
        max_record_age: Duration | None = None,
        on_failure: lambda_.IEventSourceDlq | None = None,
    ) -> None:
        self.table = table
        self._source = sources.DynamoEventSource(
            table,
            **stream_options(
                starting_position=starting_position,
                batch_size=batch_size,
                retry_attempts=retry_attempts,
                max_record_age=max_record_age,
                on_failure=on_failure,
            ),
        )

    def _attach(self, target: lambda_.IFunction) -> tuple[str, dict[str, Any]]:
        stream_arn = self.table.table_stream_arn
        if not stream_arn:
            raise ValueError(
                f"{target.node.path}: table {self.table.node.path} has no stream; create it "
                "with stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES (or import it with "
                "table_stream_arn)"
            )
        self._source.bind(target)
        return stream_arn, {}
