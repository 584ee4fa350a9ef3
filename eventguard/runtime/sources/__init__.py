"""Event sources: one module per source type, registered in ``SOURCES``.

A source module defines:

``ID``               the source type id (DESIGN.md), e.g. ``"sqs"``
``KIND``             ``"http"`` (answers a caller with a response), ``"batch"`` (records, partial
                     batch responses), ``"async"`` (nobody waits for the result), ``"sync"`` (a
                     service waits: Cognito, Lex, Connect, authorizers, custom resources)
``matches(event)``   True when a discriminating field says the event is of this source, e.g.
                     ``Records[0].eventSource == "aws:sqs"``; mere key presence is not enough
``ANCHORS``          top-level keys of which the event must have one for ``matches`` to be True
                     (``"[]"``: the event may be a list): ``identify`` asks only those modules
``UNTRUSTED``        path patterns, relative to the event, of attacker-controlled fields
``ENCODED``          optional mapping of a pattern (as written in UNTRUSTED or RECORD_UNTRUSTED)
                     to the decoders always applied to it, e.g. ``{"kinesis.data": ("base64",)}``,
                     or to a function of the event (of the record, for record patterns) returning
                     them; a declared chain that fails falls back to sniffing
``values(obj, prefix)``  optional: more ``(path, value, chain)`` triples, for what patterns cannot
                     say (headers whose Cookie is split, a body decoded by its Content-Type,
                     typed DynamoDB attributes, byte-array headers); for a batch source ``obj`` is
                     one record and ``prefix`` its path, otherwise the event and ``""``
``origins(event)``   the ids/ARNs of the resources the event came from, compared with the
                     declared triggers' ids (queue ARN, topic ARN, bucket name, API id, ...); an
                     empty set when the event does not name its origin (each module says which)
``verify(event, triggers)``  optional, for events that name no origin: given all the declared
                     triggers, None when the event may come from one of this source's, else the
                     finding to report (``unexpected_source``); ``eventbridge`` matches the
                     declared rules' event patterns
``blocked_response(event, verdict, request_id)``  what the function answers when the event is
                     blocked and the handler is not called (HTTP 403, an authorizer's Deny,
                     ``None`` for async sources); may raise ``PermissionError`` to refuse
                     (Cognito, AppSync resolvers, Connect, secrets rotation)
``error_response(event, status, request_id)``  HTTP sources: the answer when the handler itself
                     raised (a JSON error with the request id, no traceback)

Batch sources (``KIND == "batch"``: sqs, kinesis, dynamodb-stream, firehose, kafka, mq,
docdb) also:

``records(event)``   the list of records (a record's index is ``Finding.record``)
``record_path(i, event=None)``  the path prefix of record i, e.g. ``Records[3]`` (Kafka and
                     RabbitMQ need the event: ``records.topic-0[3]``)
``RECORD_UNTRUSTED`` path patterns relative to one record
``item_id(record)``  the id Lambda expects in ``batchItemFailures`` (or Firehose's recordId)
``without(event, indexes)``  a shallow copy without the given records
``merge(result, event, removed, failed)``  the handler's result completed for the records held
                     back: ``removed`` were quarantined, ``failed`` must be reported failed
                     (``batchItemFailures``; Firehose ``ProcessingFailed``); Kafka, MQ and
                     DocumentDB have no partial response and raise ``_batch.RetryBatch`` when
                     ``failed`` is not empty
``sqs.message_group(record)``  the FIFO message group, so later records of a blocked group fail

Path patterns: ``a.b`` keys, ``[*]`` every list item, ``*`` every value of a mapping (its keys
are inspected too: attackers name headers and attributes), ``**`` everything below, keys included.
Modules whose name starts with ``_`` are helpers, not sources (``_envelope`` lists the AWS
envelopes found inside decoded values, e.g. an S3 event in an SNS message in an SQS body).

Ids beyond DESIGN.md's list: ``apigw-authorizer``, ``appsync-authorizer``, ``appsync-events``,
``iot-authorizer``, ``s3-object-lambda``, ``lambda-edge``, ``docdb`` (DocumentDB change streams,
which the audit already names as an entry point).

``SOURCES`` is ordered most specific first; ``direct`` is last and matches anything. A test asserts
that every sample event is matched by its own source and by no other.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from . import (
    alb,
    api_http,
    api_rest,
    api_websocket,
    apigw_authorizer,
    appsync,
    appsync_authorizer,
    appsync_events,
    cloudformation,
    cloudwatch_logs,
    codecommit,
    cognito,
    connect,
    direct,
    docdb,
    dynamodb_stream,
    eventbridge,
    firehose,
    function_url,
    iot,
    iot_authorizer,
    kafka,
    kinesis,
    lambda_edge,
    lex,
    mq,
    s3,
    s3_batch,
    s3_object_lambda,
    scheduled,
    secrets_rotation,
    ses,
    sms,
    sns,
    sqs,
)

SOURCES: tuple[ModuleType, ...] = (
    # authorizers first: their REQUEST events look like the requests they guard
    apigw_authorizer,
    appsync_authorizer,
    iot_authorizer,
    # HTTP
    alb,
    api_websocket,
    function_url,
    api_http,
    api_rest,
    s3_object_lambda,
    lambda_edge,
    appsync_events,
    appsync,
    # Records[0].eventSource; sms is an SNS message of a given shape, so before sns
    sms,
    sns,
    sqs,
    kinesis,
    dynamodb_stream,
    s3,
    ses,
    codecommit,
    # other batches and envelopes
    kafka,
    mq,
    docdb,
    firehose,
    s3_batch,
    scheduled,
    eventbridge,
    cloudwatch_logs,
    # services that wait for an answer
    cognito,
    lex,
    connect,
    cloudformation,
    secrets_rotation,
    iot,
    direct,
)

BY_ID: Mapping[str, ModuleType] = {m.ID: m for m in SOURCES}
LIST_ANCHOR = "[]"


def _anchor_index() -> dict[str, tuple[ModuleType, ...]]:
    index: dict[str, list[ModuleType]] = {}
    for module in SOURCES:
        for key in module.ANCHORS:
            index.setdefault(key, []).append(module)
    return {key: tuple(modules) for key, modules in index.items()}


_BY_ANCHOR = _anchor_index()
_ANCHOR_KEYS = frozenset(_BY_ANCHOR)
_ORDER = {m: i for i, m in enumerate(SOURCES)}
_CANDIDATES: dict[frozenset[str], tuple[ModuleType, ...]] = {}
# Records-based sources, by Records[0].eventSource: one dict lookup for the commonest events.
_BY_RECORD_SOURCE: Mapping[str, tuple[ModuleType, ...]] = {
    "aws:sqs": (sqs,),
    "aws:sns": (sms, sns),
    "aws:s3": (s3,),
    "aws:kinesis": (kinesis,),
    "aws:dynamodb": (dynamodb_stream,),
    "aws:ses": (ses,),
    "aws:codecommit": (codecommit,),
}


def attribute(module: ModuleType, name: str, default: Any = None) -> Any:
    """``getattr(module, name, default)`` for a source module's optional name (``KIND``,
    ``verify``, ``values``...), read from its namespace: asking a module for a name it lacks
    builds and formats an AttributeError (about 1 to 2 µs, on every event and batch record)."""
    if type(module) is ModuleType:
        space = module.__dict__
        if "__getattr__" not in space:  # a module __getattr__ would answer for a missing name
            return space.get(name, default)
    return getattr(module, name, default)


def candidates(event: Any) -> tuple[ModuleType, ...]:
    """The modules whose anchors the event has, in ``SOURCES`` order (a dict lookup per key,
    so recognition costs the same whatever the number of sources)."""
    if type(event) is dict:
        present = frozenset(event.keys() & _ANCHOR_KEYS)
    elif isinstance(event, Mapping):
        present = frozenset(key for key in event if key in _BY_ANCHOR)
    elif isinstance(event, list):
        present = frozenset((LIST_ANCHOR,))
    else:
        return ()
    found = _CANDIDATES.get(present)
    if found is None:
        modules = {m for key in present for m in _BY_ANCHOR[key]}
        found = _CANDIDATES[present] = tuple(sorted(modules, key=_ORDER.__getitem__))
    return found


def identify(event: Any) -> ModuleType:
    """The first source whose ``matches`` accepts the event; ``direct`` when none does."""
    records = event.get("Records") if type(event) is dict or isinstance(event, Mapping) else None
    if type(records) is list and records and isinstance(records[0], Mapping):
        tag = records[0].get("eventSource", records[0].get("EventSource"))
        for module in _BY_RECORD_SOURCE.get(tag, ()) if isinstance(tag, str) else ():
            if module.matches(event):
                return module
    for module in candidates(event):
        try:
            if module.matches(event):
                return module
        except (KeyError, IndexError, TypeError, AttributeError):
            continue
    return direct
