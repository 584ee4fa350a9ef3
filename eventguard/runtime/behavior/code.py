"""Code: no ``eval`` / ``exec`` / ``compile`` of a string that carries text from the current event.

The ``compile`` audit event carries the source of every string compiled (``eval("...")`` and
``exec("...")`` compile first); compiling a file (imports, filename not ``<...>``) is skipped.
This concern has no allow-list: generating code is legitimate (namedtuple, dataclasses), feeding
the event into it is not. Its violations are taint violations.
"""

from __future__ import annotations

from typing import Any

from .rules import Rules, Violation, plain

ID = "code"
EVENTS = ("compile",)
MAX_SOURCE_CHARS = 1024 * 1024  # a longer dynamic source is checked on its first MiB only


def check(event: str, args: tuple[Any, ...], policy: Rules) -> Violation | None:
    taint = policy.taint
    if not taint.active() or not args:
        return None
    filename = plain(args[1]) if len(args) > 1 else None
    if filename is not None and not filename.startswith("<"):
        return None
    text = plain(args[0])
    if text is None:
        return None  # an AST: its strings came through compile() of text already checked
    text = text[:MAX_SOURCE_CHARS]
    if taint.found_in(text) is None:
        return None
    return Violation(ID, str(filename), "event data reaches eval/exec/compile", taint=True)
