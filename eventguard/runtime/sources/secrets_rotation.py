"""AWS Secrets Manager rotation: the step, the secret id and the version token. Nothing in it is
free text from outside; the ids are inspected anyway, cheaply.

``origins`` returns ``SecretId`` (the secret ARN). A blocked step raises ``PermissionError`` so
the rotation fails and Secrets Manager keeps the current version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ID = "secrets-rotation"
KIND = "sync"
ANCHORS = ("Step",)  # matches() is False unless the event has this key
UNTRUSTED = ("SecretId", "ClientRequestToken")
ENCODED: Mapping[str, tuple[str, ...]] = {}
_STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")


def matches(event: Any) -> bool:
    return (
        isinstance(event, Mapping)
        and event.get("Step") in _STEPS
        and isinstance(event.get("SecretId"), str)
        and isinstance(event.get("ClientRequestToken"), str)
    )


def origins(event: Mapping[str, Any]) -> set[str]:
    secret = event.get("SecretId")
    return {secret} if isinstance(secret, str) and secret else set()


def blocked_response(event: Mapping[str, Any], verdict: Any, request_id: str) -> None:
    raise PermissionError(f"Rotation step blocked by eventguard (request {request_id})")
