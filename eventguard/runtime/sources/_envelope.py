"""AWS event envelopes found inside other events once decoded: an S3 notification in an SNS
message in an SQS body, an EventBridge event in an SQS body, a DynamoDB change record in a Kinesis
record, an SES email with its raw content in an SNS message, an XML message its SNS notification's
content-type attribute declares in an SQS body. Every string of a decoded envelope
is inspected anyway (it sits inside an attacker-controlled field); an envelope only adds the
decoders its fields are known to carry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from . import _ddb
from ._shape import record_source, text
from .sns import message_chain

Chain = tuple[str, ...]


def _s3_records(obj: Mapping[str, Any], path: str) -> Iterator[tuple[str, Chain]]:
    records = obj.get("Records")
    for i, record in enumerate(records if isinstance(records, list) else ()):
        if isinstance(text(record, "s3", "object", "key"), str):
            yield f"{_at(path, 'Records')}[{i}].s3.object.key", ("url",)


def _eventbridge_s3(obj: Mapping[str, Any], path: str) -> Iterator[tuple[str, Chain]]:
    if text(obj, "detail", "object", "key"):
        yield f"{_at(path, 'detail')}.object.key", ("url",)


def _dynamodb(obj: Mapping[str, Any], path: str) -> Iterator[tuple[str, Chain]]:
    records = obj.get("Records")
    if isinstance(records, list):
        for i, record in enumerate(records):
            for leaf, _, chain in _ddb.change_record(record, f"{_at(path, 'Records')}[{i}]"):
                if chain:
                    yield leaf, chain
    else:
        for leaf, _, chain in _ddb.change_record(obj, path):
            if chain:
                yield leaf, chain


def _sns(obj: Mapping[str, Any], path: str) -> Iterator[tuple[str, Chain]]:
    """An SNS notification: its message as its content-type attribute declares (as for SNS to
    Lambda), its ``Binary`` attributes base64."""
    attributes = obj.get("MessageAttributes")
    declared = message_chain(attributes)
    if declared and isinstance(obj.get("Message"), str):
        yield _at(path, "Message"), declared
    if isinstance(attributes, Mapping):
        for name, attribute in attributes.items():
            if text(attribute, "Type") == "Binary":
                yield f"{_at(path, 'MessageAttributes')}.{name}.Value", ("base64",)


def _ses_content(obj: Mapping[str, Any], path: str) -> Iterator[tuple[str, Chain]]:
    if text(obj, "receipt", "action", "encoding") == "BASE64" and text(obj, "content"):
        yield _at(path, "content"), ("base64",)


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _is_ddb(obj: Mapping[str, Any]) -> bool:
    return obj.get("eventSource") == "aws:dynamodb" or record_source(obj) == "aws:dynamodb"


ENVELOPES: tuple[
    tuple[Callable[[Mapping[str, Any]], bool], Callable[..., Iterator[tuple[str, Chain]]]], ...
] = (
    (lambda o: record_source(o) == "aws:s3", _s3_records),
    (lambda o: "detail-type" in o and o.get("source") == "aws.s3", _eventbridge_s3),
    (_is_ddb, _dynamodb),
    (lambda o: o.get("Type") == "Notification" and "TopicArn" in o, _sns),
    (lambda o: o.get("notificationType") == "Received" and "mail" in o, _ses_content),
)


# Every envelope test above needs one of these keys (most decoded objects have none).
_KEYS = frozenset(("Records", "detail-type", "eventSource", "Type", "notificationType"))


def chains(obj: Mapping[str, Any], path: str) -> dict[str, Chain]:
    """Absolute leaf path -> declared decoders, for the first envelope the object is."""
    if type(obj) is dict and _KEYS.isdisjoint(obj):
        return {}
    for matches, declared in ENVELOPES:
        if matches(obj):
            return dict(declared(obj, path))
    return {}
