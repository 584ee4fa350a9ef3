"""Two-way SMS (Amazon Pinpoint / End User Messaging): an inbound text arrives as an SNS
notification whose message is JSON with ``originationNumber`` and ``messageBody``.

Recognized before ``sns`` by the message's keys. The body, keyword and sender number are the
texter's. ``origins`` returns the SNS topic ARN, like ``sns``. Async: no response.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from . import sns
from ._shape import first_record, text

ID = "sms"
KIND = "async"
UNTRUSTED = ("Records[*].Sns.Message", "Records[*].Sns.Subject")
ENCODED: Mapping[str, tuple[str, ...]] = {"Records[*].Sns.Message": ("json",)}
_KEYS = ("originationNumber", "messageBody")


def matches(event: Any) -> bool:
    if not sns.matches(event):
        return False
    message = text(first_record(event), "Sns", "Message")
    if not message.lstrip().startswith("{") or '"originationNumber"' not in message:
        return False
    try:
        doc = json.loads(message)
    except ValueError:
        return False
    return isinstance(doc, Mapping) and all(isinstance(doc.get(k), str) for k in _KEYS)


def origins(event: Mapping[str, Any]) -> set[str]:
    return sns.origins(event)


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
