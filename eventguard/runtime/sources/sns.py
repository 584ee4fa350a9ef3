"""Amazon SNS: one notification per invocation; the message, subject and attributes are the
publisher's. A JSON message is decoded and every string inspected; an envelope inside (an S3 event
from a bucket notification, an SES notification) is unwrapped with its own decoders.

A two-way SMS is the ``sms`` source, not this one. ``origins`` returns each record's
``Sns.TopicArn``. Nobody waits for the result: a blocked notification gets no response
(``None``); the wrapper quarantines it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ._hooks import Chain
from ._http import attribute_chain
from ._shape import first_record, get, record_list, record_source, text

ID = "sns"
KIND = "async"
ANCHORS = ("Records",)  # matches() is False unless the event has this key
# The message is read by ``values``: its decoding is declared by its own record's attributes.
UNTRUSTED = ("Records[*].Sns.Subject",)
ENCODED: Mapping[str, tuple[str, ...]] = {}


def notification(event: Any) -> bool:
    """An SNS event, whatever its message: ``Records[0].EventSource == "aws:sns"``."""
    return record_source(event) == "aws:sns" and isinstance(
        (first_record(event) or {}).get("Sns"), Mapping
    )


def sms_message(event: Any) -> bool:
    """The message is an inbound two-way SMS (JSON with originationNumber and messageBody)."""
    message = text(first_record(event), "Sns", "Message")
    if not message.lstrip().startswith("{") or '"originationNumber"' not in message:
        return False
    try:
        doc = json.loads(message)
    except ValueError:
        return False
    return isinstance(doc, Mapping) and all(
        isinstance(doc.get(k), str) for k in ("originationNumber", "messageBody")
    )


def matches(event: Any) -> bool:
    return notification(event) and not sms_message(event)


def values(event: Any, prefix: str) -> Iterator[tuple[str, Any, tuple[str, ...]]]:
    """Each message, decoded as its content-type attribute declares, then the message
    attribute names and values; a ``Binary`` attribute's value is base64."""
    for i, record in enumerate(record_list(event, "Records")):
        sns = record.get("Sns") if isinstance(record, Mapping) else None
        if not isinstance(sns, Mapping):
            continue
        attributes = sns.get("MessageAttributes")
        if "Message" in sns:
            yield f"Records[{i}].Sns.Message", sns["Message"], message_chain(attributes)
        if not isinstance(attributes, Mapping):
            continue
        for name, attribute in attributes.items():
            at = f"Records[{i}].Sns.MessageAttributes.{name}"
            yield f"{at}<key>", str(name), ()
            chain = ("base64",) if text(attribute, "Type") == "Binary" else ()
            yield f"{at}.Value", get(attribute, "Value"), chain


def message_chain(attributes: Any) -> Chain:
    """The decoders an SNS message's content-type attribute declares for it, or none; also
    for an SNS notification carried in an SQS body (``_envelope``)."""
    return attribute_chain(attributes, "Value", "Type")


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
