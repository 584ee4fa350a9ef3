"""The runtime's errors, one small hierarchy caught in one place (the wrapper).

    EventguardError
     +-- PolicyError          the policy document in the environment is missing or malformed
     +-- LimitExceeded        a named limit of ``limits.py`` was passed (size, depth, time, ratio)
     +-- DecodeError          a value claimed an encoding it does not have (bad base64, gzip)
     +-- QuarantineError      a blocked event could not be kept in the quarantine queue

The wrapper turns any of them, and any other internal exception, into the declared failure mode;
none escapes to Lambda as a traceback.
"""

from __future__ import annotations


class EventguardError(Exception):
    """Base of every error eventguard raises on purpose."""


class PolicyError(EventguardError):
    """The policy document is missing, not JSON, or has a key or value it does not know."""


class LimitExceeded(EventguardError):
    """A value is past one of the named limits; ``limit`` names it."""

    def __init__(self, limit: str, detail: str = "") -> None:
        super().__init__(f"{limit} exceeded{': ' + detail if detail else ''}")
        self.limit = limit


class DecodeError(EventguardError):
    """A value does not decode the way its declared encoding says."""


class QuarantineError(EventguardError):
    """A blocked event could not be sent to the quarantine queue."""
