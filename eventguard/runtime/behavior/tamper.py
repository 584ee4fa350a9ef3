"""Tamper: attempts to switch the guard off or reach its state, from inside the function.

Audit hooks cannot be removed, and the compiled policy is frozen; what is left to an attacker is
reaching the enforcement state, so these are refused: adding another audit hook, setting a
trace or profile function or a ``sys.monitoring`` callback (they see every frame's locals),
walking the garbage collector (``gc.get_objects`` / ``get_referrers`` / ``get_referents``,
the way to find the hook), and setting or deleting attributes (``__code__``) of the classes and
functions of eventguard's runtime modules loaded when the guard was installed.
Writes into eventguard's files are reported by ``files`` under this concern; eventguard's
modules refuse attribute assignment (``behavior._seal``).

Limits of the interpreter: a refused ``sys.addaudithook`` returns normally (CPython swallows the
hook's exception and drops the new hook); assignments to ordinary class attributes and writes
into a module's ``__dict__`` or a closure cell raise no audit event and cannot be seen.
"""

from __future__ import annotations

import types
from typing import Any

from .rules import Rules, Violation, plain

ID = "tamper"
EVENTS = (
    "sys.addaudithook",
    "sys.settrace",
    "sys.setprofile",
    "sys.monitoring.register_callback",  # 3.12+: a tracer by another name
    "gc.get_objects",
    "gc.get_referrers",
    "gc.get_referents",
    "object.__setattr__",
    "object.__delattr__",
)


def check(event: str, args: tuple[Any, ...], policy: Rules) -> Violation | None:
    if event.startswith("object."):
        target = args[0] if args else None
        if isinstance(target, types.FunctionType):
            module, name = target.__module__, target.__qualname__
        elif isinstance(target, type):  # type's own lookup: a metaclass cannot answer instead
            module = type.__getattribute__(target, "__module__")
            name = type.__getattribute__(target, "__qualname__")
        else:
            return None
        if module not in policy.own_modules:
            return None
        attribute = plain(args[1]) if len(args) > 1 else ""
        return Violation(ID, f"{module}.{name}.{attribute}", event)
    return Violation(ID, event, "could disable or inspect the behavior guard")
