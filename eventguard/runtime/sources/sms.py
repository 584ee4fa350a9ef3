"""Two-way SMS (Amazon Pinpoint / End User Messaging): an inbound text arrives as an SNS
notification whose message is JSON with ``originationNumber`` and ``messageBody``.

Recognized before ``sns`` by the message's keys. The body, keyword and sender number are the
texter's. ``origins`` returns the SNS topic ARN, like ``sns``. Async: no response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import sns

ID = "sms"
KIND = "async"
ANCHORS = ("Records",)  # matches() is False unless the event has this key
UNTRUSTED = ("Records[*].Sns.Message", "Records[*].Sns.Subject")
ENCODED: Mapping[str, tuple[str, ...]] = {"Records[*].Sns.Message": ("json",)}


def matches(event: Any) -> bool:
    return sns.notification(event) and sns.sms_message(event)


def origins(event: Mapping[str, Any]) -> set[str]:
    return sns.origins(event)


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    return None
