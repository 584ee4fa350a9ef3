"""Amazon SNS: one notification per invocation; the message, subject and attributes are the
publisher's. A JSON message is decoded and every string inspected; an envelope inside (an S3 event
from a bucket notification, an SES notification) is unwrapped with its own decoders.

``origins`` returns each record's ``Sns.TopicArn``. Nobody waits for the result: a blocked
notification gets no response (``None``), the wrapper quarantines it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._shape import first_record, record_list, record_source

ID = "sns"
KIND = "async"
UNTRUSTED = (
    "Records[*].Sns.Message",
    "Records[*].Sns.Subject",
    "Records[*].Sns.MessageAttributes.*.Value",
)
ENCODED: Mapping[str, tuple[str, ...]] = {}


def matches(event: Any) -> bool:
    return record_source(event) == "aws:sns" and isinstance(
        (first_record(event) or {}).get("Sns"), Mapping
    )


def origins(event: Mapping[str, Any]) -> set[str]:
    out: set[str] = set()
    for record in record_list(event, "Records"):
        sns = record.get("Sns") if isinstance(record, Mapping) else None
        arn = sns.get("TopicArn") if isinstance(sns, Mapping) else None
        if isinstance(arn, str) and arn:
            out.add(arn)
    return out


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
