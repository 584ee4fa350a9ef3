"""Amazon Lex V1 and V2 code hooks: what the user typed or said (``inputTranscript``,
transcriptions), the slot values and session attributes.

``origins`` returns the bot id (V2 ``bot.id``) or name (V1 ``bot.name``). A blocked turn closes
the dialog as failed (V1 ``dialogAction.type: Close``, ``fulfillmentState: Failed``; V2
``sessionState.dialogAction.type: Close`` with the intent ``Failed``), without echoing input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._shape import get, text

ID = "lex"
KIND = "sync"
ANCHORS = ("bot",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "inputTranscript",
    "userId",
    "sessionId",
    "currentIntent.slots.*",
    "currentIntent.slotDetails.*.originalValue",
    "sessionAttributes.*",
    "requestAttributes.*",
    "transcriptions[*].transcription",
    "interpretations[*].intent.slots.**",
    "sessionState.intent.slots.**",
    "sessionState.sessionAttributes.*",
)
ENCODED: Mapping[str, tuple[str, ...]] = {}
_MESSAGE = "Sorry, I can't help with that."


def _v2(event: Mapping[str, Any]) -> bool:
    return isinstance(event.get("sessionState"), Mapping)


def matches(event: Any) -> bool:
    if not isinstance(event, Mapping) or not isinstance(event.get("bot"), Mapping):
        return False
    if event.get("messageVersion") != "1.0" or "invocationSource" not in event:
        return False
    return isinstance(event.get("currentIntent"), Mapping) or _v2(event)


def origins(event: Mapping[str, Any]) -> set[str]:
    bot = text(event, "bot", "id") or text(event, "bot", "name")
    return {bot} if bot else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> dict[str, Any]:
    if _v2(event):
        intent = get(event, "sessionState", "intent")
        name = intent.get("name", "") if isinstance(intent, Mapping) else ""
        return {
            "sessionState": {
                "dialogAction": {"type": "Close"},
                "intent": {"name": name, "state": "Failed"},
            },
            "messages": [{"contentType": "PlainText", "content": _MESSAGE}],
        }
    return {
        "dialogAction": {
            "type": "Close",
            "fulfillmentState": "Failed",
            "message": {"contentType": "PlainText", "content": _MESSAGE},
        }
    }
