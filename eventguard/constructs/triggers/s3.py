"""Amazon S3 bucket notifications -> function, through the stock ``S3EventSourceV2``.

``S3EventSourceV2`` accepts an ``IBucket`` (imported buckets too). The origin id is the bucket
NAME (``Records[*].s3.bucket.name``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jsii
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_s3 as s3

from ._base import Trigger


@jsii.implements(lambda_.IEventSource)
class S3(Trigger):
    """Object events of ``bucket`` invoke the function.

    :param events: the event types; default ``[EventType.OBJECT_CREATED]``.
    :param prefix: only keys starting with it; default every key.
    :param suffix: only keys ending with it; default every key.
    """

    SOURCE = "s3"

    def __init__(
        self,
        bucket: s3.IBucket,
        *,
        events: Sequence[s3.EventType] | None = None,
        prefix: str | None = None,
        suffix: str | None = None,
    ) -> None:
        self.bucket = bucket
        key_filter = s3.NotificationKeyFilter(prefix=prefix, suffix=suffix)
        filters = [key_filter] if prefix or suffix else None
        self._source = sources.S3EventSourceV2(
            bucket, events=list(events or [s3.EventType.OBJECT_CREATED]), filters=filters
        )

    def _attach(self, target: lambda_.IFunction) -> tuple[str, dict[str, Any]]:
        self._source.bind(target)
        return self.bucket.bucket_name, {}
