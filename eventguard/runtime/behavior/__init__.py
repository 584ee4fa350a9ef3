"""Behavioral protection: what the function does at run time, checked by one audit hook.

The wrapper calls ``install(policy, log)`` once per container (when ``policy.behavior`` is not
empty) and wraps each handler call in ``with invocation(event, request_id):``. From then on every
audited call (``open``, ``socket.connect``, ``subprocess.Popen``, ``compile``, ...) goes through
one hook that looks the event name up in one dict; events nobody handles cost that lookup only.

Concerns are one module each (``EVENTS``, ``check(event, args, policy) -> Violation | None``),
registered in ``CONCERNS``; ``policy`` is the frozen ``rules.Rules`` compiled from the policy's
``behavior`` section (schema in ``rules.py``). A violation is logged as one JSON line
(``type: "behavior"``, with concern, action, event, detail, reason, request id); at level
``block`` the offending call raises ``PermissionError``. Taint violations (event data reaching a
sink, ``runtime/taint.py``) use the ``taint`` level.

Tamper resistance, as far as Python allows: the hook cannot be removed; it holds the compiled
policy and the dispatch table in its closure, not in module globals; the ``tamper`` concern
refuses new audit hooks, trace/profile functions, garbage-collector walks and attribute writes
on eventguard's classes and functions; this package's modules refuse attribute assignment once
installed (``seal``). A second ``install`` cannot change the policy. What stays possible is code
that writes into a module's ``__dict__`` or a closure cell directly; no audit event exists for it.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Callable, Mapping
from types import MappingProxyType, ModuleType
from typing import Any

from ..policy import Policy
from ..redact import excerpt
from ..seclog import SecurityLog
from ..taint import Taint
from . import code, egress, files, native, process, rules, tamper, unpickle
from .rules import OWN_PACKAGE, Rules, Violation, compile_rules

CONCERNS: tuple[ModuleType, ...] = (egress, process, files, code, native, unpickle, tamper)
# Concerns whose checks look for taint and so stay dispatched when their own level is ``allow``.
TAINT_SINKS = frozenset({"egress", "process", "files", "code"})
MAX_DETAIL_CHARS = 200
Check = Callable[[str, tuple[Any, ...], Rules], "Violation | None"]


class BehaviorBlocked(PermissionError):
    """Raised inside the offending call when the policy blocks it."""


_taint = Taint()
_installed: list[SecurityLog] = []  # the log of the one installed guard (its policy: hook only)
_request: list[str] = [""]


def _combine(checks: list[Check]) -> Check:
    def both(event: str, args: tuple[Any, ...], policy: Rules) -> Violation | None:
        for check in checks:
            found = check(event, args, policy)
            if found is not None:
                return found
        return None

    return both


def table(compiled: Rules) -> Mapping[str, Check]:
    """Audit event name -> the check that handles it, without concerns set to ``allow``."""
    handlers: dict[str, list[Check]] = {}
    taint_on = compiled.level("taint") != "allow"
    for module in CONCERNS:
        off = compiled.level(module.ID) == "allow"
        if off and not (taint_on and module.ID in TAINT_SINKS):
            continue
        for event in module.EVENTS:
            handlers.setdefault(event, []).append(module.check)
    return MappingProxyType({e: c[0] if len(c) == 1 else _combine(c) for e, c in handlers.items()})


def _make_hook(
    dispatch: Mapping[str, Check], compiled: Rules, log: SecurityLog
) -> Callable[[str, tuple[Any, ...]], None]:
    handlers = dict(dispatch)  # a private plain dict: ``in`` on it is the cheapest test there is
    local = threading.local()
    errors: set[str] = set()
    request = _request

    def report(found: Violation, event: str) -> str:
        level = compiled.level("taint" if found.taint else found.concern)
        if level == "allow":
            return level
        log.emit(
            "behavior",
            concern=found.concern,
            action=level,
            event=event,
            detail=found.detail[:MAX_DETAIL_CHARS],
            reason=found.reason,
            taint=found.taint,
            request_id=request[0] or log.context.get("request_id", ""),
        )
        return level

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event in handlers:  # the whole cost of an event nobody handles
            handle(event, args)

    def handle(event: str, args: tuple[Any, ...]) -> None:
        check = handlers[event]
        if getattr(local, "busy", False):
            return
        local.busy = True
        try:
            try:
                found = check(event, args, compiled)
            except Exception as exc:  # an odd argument never breaks the function
                if event not in errors:
                    errors.add(event)
                    log.emit("behavior_error", event=event, error=type(exc).__name__)
                return
            if found is None:
                return
            level = report(found, event)
        finally:
            local.busy = False
        if level == "block":
            raise BehaviorBlocked(
                f"eventguard blocked {found.concern}: {found.reason}: {excerpt(found.detail)}"
            )

    return hook


class _Sealed(types.ModuleType):
    """A module whose attributes cannot be reassigned from outside once the guard runs."""

    def __setattr__(self, name: str, value: Any) -> None:
        raise BehaviorBlocked(f"eventguard: {self.__name__}.{name} cannot be changed at run time")

    def __delattr__(self, name: str) -> None:
        raise BehaviorBlocked(f"eventguard: {self.__name__}.{name} cannot be deleted at run time")


def _seal() -> None:
    for name in (__name__, *(m.__name__ for m in CONCERNS), rules.__name__, Taint.__module__):
        module = sys.modules.get(name)
        if module is not None and type(module) is types.ModuleType:
            module.__class__ = _Sealed


def install(policy: Policy, log: SecurityLog) -> None:
    """Compile ``policy.behavior`` and add the audit hook; once per process, never undone.

    A later call changes nothing: it is logged, and the first policy stays in force."""
    if _installed:
        _installed[0].emit(
            "behavior",
            concern="tamper",
            action="alert",
            event="behavior.install",
            detail=f"install called again for {policy.function!r}",
            reason="the first policy stays in force",
        )
        return
    if policy.flow:
        import importlib

        importlib.import_module(f"{OWN_PACKAGE}.flow")  # loaded first: its classes are protected

    compiled = compile_rules(policy.behavior, mode=policy.mode, taint=_taint)
    hook = _make_hook(table(compiled), compiled, log)
    _installed.append(log)
    sys.addaudithook(hook)
    _seal()
    log.emit("behavior_installed", level=20, concerns=dict(compiled.levels))


class invocation:
    """``with invocation(event, request_id):`` around the handler: taint and request id."""

    __slots__ = ()

    def __init__(self, event: Any, request_id: str) -> None:
        _request[0] = request_id
        _taint.begin(event)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        _taint.end()
        _request[0] = ""


__all__ = ["CONCERNS", "BehaviorBlocked", "install", "invocation", "table"]
