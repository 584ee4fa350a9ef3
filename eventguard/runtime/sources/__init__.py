"""Event sources: one module per source type, registered in ``SOURCES``.

A source module defines:

``ID``               the source type id (DESIGN.md), e.g. ``"sqs"``
``KIND``             ``"http"`` (answers a caller with a response), ``"batch"`` (records, partial
                     batch responses), ``"async"`` (nobody waits for the result), ``"sync"`` (a
                     service waits: Cognito, Lex, Connect, authorizers, custom resources)
``matches(event)``   True when a discriminating field says the event is of this source, e.g.
                     ``Records[0].eventSource == "aws:sqs"``; mere key presence is not enough
``UNTRUSTED``        path patterns, relative to the event, of attacker-controlled fields
``records(event)``   batch sources: the list of records (a record's index is ``Finding.record``)
``record_path(i)``   batch sources: the path prefix of record i, e.g. ``Records[3]``
``RECORD_UNTRUSTED`` batch sources: path patterns relative to one record
``ENCODED``          optional mapping of a pattern (as written in UNTRUSTED or RECORD_UNTRUSTED)
                     to the decoders always applied to it, e.g. ``{"kinesis.data": ("base64",)}``
``origins(event)``   the ids/ARNs of the resources the event came from, compared with the
                     declared triggers' ids (queue ARN, topic ARN, bucket name, API id, ...)
``item_id(record)``  batch sources: the id Lambda expects in ``batchItemFailures``
``without(event, indexes)``  batch sources: a shallow copy without the given records
``blocked_response(event, verdict, request_id)``  what the function answers when the event is
                     blocked and the handler is not called (HTTP 403, Firehose ProcessingFailed,
                     ``None`` for async sources); may raise to refuse (Cognito)

Path patterns: ``a.b`` keys, ``[*]`` every list item, ``*`` every value of a mapping (its keys
are inspected too: attackers name headers and attributes), ``**`` everything below, keys included.

``SOURCES`` is ordered most specific first; ``direct`` is last and matches anything. A test asserts
that every sample event is matched by its own source and by no other.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from . import direct, sqs

SOURCES: tuple[ModuleType, ...] = (
    sqs,
    direct,
)

BY_ID: Mapping[str, ModuleType] = {m.ID: m for m in SOURCES}


def identify(event: Any) -> ModuleType:
    """The first source whose ``matches`` accepts the event; ``direct`` when none does."""
    for module in SOURCES:
        try:
            if module.matches(event):
                return module
        except (KeyError, IndexError, TypeError, AttributeError):
            continue
    return direct

