"""Direct invocation (SDK ``Invoke``, Step Functions, another function): every string is untrusted.

An event whose shape matches no other source lands here, so nothing is ever left uninspected:
strings at any depth and the keys of every object are inspected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ID = "direct"
KIND = "sync"
ANCHORS: tuple[str, ...] = ()  # matches anything
UNTRUSTED = ("**",)
ENCODED: Mapping[str, tuple[str, ...]] = {}


def matches(event: Any) -> bool:
    return True


def origins(event: Any) -> set[str]:
    return set()


def blocked_response(event: Any, verdict: Any, request_id: str) -> dict[str, Any]:
    return {"error": "blocked by eventguard", "requestId": request_id}
