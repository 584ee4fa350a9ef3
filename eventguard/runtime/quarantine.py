"""Quarantine: a blocked event or record is kept in the function's own SQS queue, never dropped.

Each message carries the blocked payload and its verdict, so an operator can inspect it and
replay it. ``keep`` reports which items could not be kept; the wrapper then reports them as
batch item failures (the platform retries them or sends them to the source's DLQ), so nothing is
acknowledged that was neither processed nor kept.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from typing import Any

from . import awsapi
from ._value import Value
from .errors import QuarantineError

ENV_VAR = "EVENTGUARD_QUARANTINE_URL"
MAX_MESSAGE_BYTES = 256 * 1024  # SQS message size every region accepts

Sender = Callable[[str, str], None]


def sqs_send(queue_url: str, body: str) -> None:
    """SendMessage to the quarantine queue through the stdlib AWS client."""
    awsapi.call(
        "sqs",
        "AmazonSQS.SendMessage",
        {"QueueUrl": queue_url, "MessageBody": body},
    )


class Quarantine(Value):
    """Sends blocked payloads with their verdicts to one queue; ``send`` is injectable."""

    __slots__ = __match_args__ = ("queue_url", "function", "send")

    def __init__(self, queue_url: str, function: str = "", send: Sender = sqs_send) -> None:
        self.queue_url = queue_url
        self.function = function
        self.send = send

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, function: str = "") -> Quarantine:
        env = os.environ if environ is None else environ
        return cls(queue_url=env.get(ENV_VAR, ""), function=function)

    def keep(
        self,
        payload: Any,
        verdict: Mapping[str, Any],
        *,
        source: str,
        request_id: str,
        record: int | None = None,
    ) -> None:
        """Keep one blocked payload; raises QuarantineError when it could not be kept."""
        if not self.queue_url:
            raise QuarantineError(f"{ENV_VAR} is not set: blocked events have nowhere to go")
        message = {
            "eventguard": 1,
            "function": self.function,
            "request_id": request_id,
            "source": source,
            "record": record,
            "verdict": verdict,
            "payload": payload,
        }
        try:
            body = json.dumps(message, separators=(",", ":"), default=str)
        except (RecursionError, ValueError, TypeError) as exc:  # 10,000-deep, odd floats
            raise QuarantineError(f"blocked payload cannot be serialized: {exc!r:.100}") from None
        if len(body.encode("utf-8")) > MAX_MESSAGE_BYTES:
            raise QuarantineError(
                f"blocked payload of {len(body)} bytes exceeds {MAX_MESSAGE_BYTES}"
            )
        try:
            self.send(self.queue_url, body)
        except QuarantineError:
            raise
        except Exception as exc:  # any transport failure is a quarantine failure
            raise QuarantineError(f"quarantine send failed: {exc}") from None
