"""Short, safe excerpts: a finding or a log line never carries a whole payload or a control char."""

from __future__ import annotations

from .limits import EXCERPT_CHARS


def excerpt(text: str, start: int = 0, end: int | None = None) -> str:
    """At most EXCERPT_CHARS characters around ``text[start:end]``, with control characters and
    non-ASCII escaped so that a value can never forge a log line."""
    end = len(text) if end is None else end
    span = text[max(0, start) : min(len(text), max(end, start + 1), max(0, start) + EXCERPT_CHARS)]
    safe = span.encode("ascii", "backslashreplace").decode("ascii")
    safe = "".join(ch if 32 <= ord(ch) < 127 else f"\\x{ord(ch):02x}" for ch in safe)
    if len(safe) > EXCERPT_CHARS:
        safe = safe[: EXCERPT_CHARS - 3] + "..."
    return safe
