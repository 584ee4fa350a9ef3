"""The in-function half of eventguard: standard library only.

``inspect(event, policy=None) -> Verdict`` is the pure entry point; ``wrapper.handler`` is the
Lambda handler that SecureFunction installs in front of the user's handler.
"""

from __future__ import annotations

from .engine import inspect
from .model import Finding, Match, Verdict
from .policy import Policy

__all__ = ["inspect", "Finding", "Match", "Verdict", "Policy"]
