"""Amazon Cognito user pool triggers (sign-up, authentication, challenges, token generation,
custom messages, migration, federation): the user name, attributes, client metadata, validation
data, challenge answers and the migrating user's password are the signing-up user's.

``origins`` returns ``userPoolId``. A blocked event raises ``PermissionError`` so Cognito refuses
the sign-up or sign-in (a Lambda trigger error fails the operation).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ID = "cognito"
KIND = "sync"
ANCHORS = ("triggerSource",)  # matches() is False unless the event has this key
UNTRUSTED = (
    "userName",
    "request.userAttributes.*",
    "request.clientMetadata.*",
    "request.validationData.*",
    "request.attributes.*",
    "request.challengeAnswer",
    "request.privateChallengeParameters.*",
    "request.password",
)
ENCODED: Mapping[str, tuple[str, ...]] = {}


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and isinstance(event.get("triggerSource"), str)
        and isinstance(event.get("userPoolId"), str)
        and isinstance(event.get("request"), Mapping)
    )


def origins(event: Mapping[str, Any]) -> set[str]:
    pool = event.get("userPoolId")
    return {pool} if isinstance(pool, str) and pool else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    raise PermissionError(f"Request blocked by eventguard (request {request_id})")
