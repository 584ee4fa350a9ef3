"""Amazon SES email receiving (Lambda action): the sender, recipients, headers, subject and
common headers are whoever sent the email; ``content`` when the notification includes it.

``origins`` returns an empty set: the event names neither the receipt rule set nor the rule,
so origin verification accepts any SES event once an SES trigger is declared. A blocked email
answers ``{"disposition": "STOP_RULE_SET"}``, which stops the rule set for a synchronous
(RequestResponse) Lambda action.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._shape import record_source

ID = "ses"
KIND = "sync"
ANCHORS = ("Records",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "Records[*].ses.mail.source",
    "Records[*].ses.mail.destination[*]",
    "Records[*].ses.mail.headers[*].name",
    "Records[*].ses.mail.headers[*].value",
    "Records[*].ses.mail.commonHeaders.**",
    "Records[*].ses.content",
)
ENCODED: Mapping[str, tuple[str, ...]] = {}


def matches(event: Any) -> bool:
    return record_source(event) == "aws:ses"


def origins(event: Mapping[str, Any]) -> set[str]:
    return set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, str]:
    return {"disposition": "STOP_RULE_SET"}
