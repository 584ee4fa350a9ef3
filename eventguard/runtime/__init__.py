"""The in-function half of eventguard: standard library only.

``inspect(event, policy=None) -> Verdict`` is the pure entry point; ``wrapper.handler`` is the
Lambda handler that SecureFunction installs in front of the user's handler.

The names are loaded on first use, so that importing ``eventguard.runtime.policy`` (the audit
does) does not compile every detector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import inspect
    from .model import Finding, Match, Verdict
    from .policy import Policy

__all__ = ["Finding", "Match", "Policy", "Verdict", "inspect"]

_HOMES = {
    "inspect": "engine",
    "Finding": "model",
    "Match": "model",
    "Verdict": "model",
    "Policy": "policy",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'eventguard.runtime' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
