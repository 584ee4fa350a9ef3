"""Native code: no ``ctypes`` loading of libraries, foreign calls or raw memory access unless the
policy allows it (``levels.native: allow``). ctypes bypasses every other check: it can call
``system()`` or ``connect()`` in libc directly, or rewrite the interpreter's memory.
"""

from __future__ import annotations

from typing import Any

from .rules import Rules, Violation, plain

ID = "native"
EVENTS = (
    "ctypes.dlopen",
    "ctypes.dlsym",
    "ctypes.dlsym/handle",
    "ctypes.cdata",
    "ctypes.call_function",
    "ctypes.PyObj_FromPtr",
    "ctypes.string_at",
    "ctypes.wstring_at",
)


def check(event: str, args: tuple[Any, ...], policy: Rules) -> Violation | None:
    detail = event
    if event in ("ctypes.dlopen", "ctypes.dlsym") and args:
        name = plain(args[-1])
        detail = f"{event}({(name if name is not None else type(args[-1]).__name__)[:120]})"
    return Violation(ID, detail, "ctypes is not allowed")
