"""Triggers of a SecureFunction: one module per event source, registered in ``TRIGGERS``.

Each is an ``aws_lambda.IEventSource`` that delegates to the stock CDK event source or
integration and records the entry point (source type id + the id/ARN the runtime sees) in the
function's policy. Adding a source is adding a module and a line here.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._base import Trigger
from .api_rest import RestApi
from .docdb import DocumentDb
from .dynamodb_stream import DynamoDbStream
from .eventbridge import EventBridgeRule, Schedule
from .kinesis import Kinesis
from .s3 import S3
from .sns import Sns
from .sqs import Sqs

TRIGGERS: Mapping[str, type[Trigger]] = {
    cls.SOURCE: cls
    for cls in (
        Sqs,
        Sns,
        S3,
        RestApi,
        DynamoDbStream,
        Kinesis,
        EventBridgeRule,
        Schedule,
        DocumentDb,
    )
}

__all__ = [
    "S3",
    "TRIGGERS",
    "DocumentDb",
    "DynamoDbStream",
    "EventBridgeRule",
    "Kinesis",
    "RestApi",
    "Schedule",
    "Sns",
    "Sqs",
    "Trigger",
]
