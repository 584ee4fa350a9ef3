"""Structured security logs: one JSON object per line, fixed keys, through stdlib ``logging``.

Values are JSON-encoded, so a newline or control character inside an attacker's string can never
start a forged log line; excerpts are already short and redacted (``redact.py``). The stream is
injectable so tests capture it.

``logging`` is imported when the first ``SecurityLog`` is made (when the container loads), not
with the wrapper: ``JsonFormatter`` is all a handler needs of a formatter, its ``format``.
"""

from __future__ import annotations

import json
import sys
import time
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import logging

LOGGER_NAME = "eventguard.security"
INFO, WARNING = 20, 30  # logging.INFO, logging.WARNING


class JsonFormatter:
    """Formats a record's ``fields`` as one compact JSON object with fixed leading keys."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": "eventguard",
            "type": record.getMessage(),
        }
        doc.update(getattr(record, "fields", {}))
        return json.dumps(doc, separators=(",", ":"), default=str, ensure_ascii=True)


class SecurityLog:
    """Writes security events; ``context`` (function, request id) is merged into every line."""

    def __init__(self, stream: IO[str] | None = None, *, function: str = "") -> None:
        import logging

        self.logger = logging.getLogger(f"{LOGGER_NAME}.{id(self)}")
        self.logger.propagate = False
        self.logger.setLevel(INFO)
        handler = logging.StreamHandler(stream if stream is not None else sys.stdout)
        handler.setFormatter(JsonFormatter())  # type: ignore[arg-type]
        self.logger.handlers[:] = [handler]
        self.context: dict[str, Any] = {"function": function}

    def emit(self, kind: str, *, level: int = WARNING, **fields: Any) -> None:
        self.logger.log(level, kind, extra={"fields": {**self.context, **fields}})
