"""Processes: no child process unless its executable is allow-listed.

``subprocess.Popen``, ``os.system`` (a ``/bin/sh -c`` command line), ``os.exec*``,
``os.posix_spawn[p]``, ``os.spawn*``, ``pty.spawn``; ``os.fork`` / ``os.forkpty`` only with
``fork: true``. An allow-list entry with a slash matches that path exactly; a bare name
(``git``) matches a bare-name invocation resolved through ``PATH``, not ``/tmp/x/git``.
Allowing a shell allows whatever its command line says: prefer the program itself. An
executable given as a user-defined path-like object is never allowed (its ``__fspath__`` could
answer differently when the process starts).

Taint: event text in a shell command line (``sh -c``, ``os.system``), event text as the
executable, or an event value that becomes an option (``-o...``) of a program is a taint
violation, even when the executable is allowed.
"""

from __future__ import annotations

import os
import pathlib
from typing import Any

from .rules import Rules, Violation, plain

ID = "process"
EVENTS = (
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
)
SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"})


def _str(value: Any) -> str:
    """The text of an argument; a stdlib path as its string; anything else as a placeholder
    (the hook never calls a method of a user-defined object)."""
    text = plain(value)
    if text is not None:
        return text
    if type(value) in (pathlib.PosixPath, pathlib.PurePosixPath):
        return str(value)
    return f"<{type(value).__name__}>"


def _argv(value: Any) -> list[str]:
    if value is None:
        return []
    if type(value) in (list, tuple):
        return [_str(v) for v in value[:4096]]
    return [_str(value)]


def _arg(args: tuple[Any, ...], index: int) -> Any:
    return args[index] if len(args) > index else None


def _parse(event: str, args: tuple[Any, ...]) -> tuple[str, list[str], bool]:
    """(executable, argv, runs a shell command line)."""
    if event == "os.system":
        command = _str(args[0]) if args else ""
        return "/bin/sh", ["/bin/sh", "-c", command], True
    if event == "os.spawn":  # (mode, path, args, env)
        executable, argv = _arg(args, 1), _argv(_arg(args, 2))
    elif event == "pty.spawn":  # (argv,)
        argv = _argv(_arg(args, 0))
        executable = argv[0] if argv else ""
    else:  # subprocess.Popen (executable, args, cwd, env); os.exec/posix_spawn (path, argv, env)
        executable, argv = _arg(args, 0), _argv(_arg(args, 1))
    exe = _str(executable) if executable is not None else (argv[0] if argv else "")
    shell = os.path.basename(exe) in SHELLS and "-c" in argv[1:3]
    return exe, argv, shell


def allowed(exe: str, rules: Rules) -> bool:
    if exe in rules.executables:
        return True
    return "/" not in exe and os.path.basename(exe) in rules.executables


def _taint(exe: str, argv: list[str], shell: bool, rules: Rules) -> Violation | None:
    taint = rules.taint
    if not taint.active():
        return None
    if shell:
        command = " ".join(argv[argv.index("-c") + 1 :]) if "-c" in argv else " ".join(argv)
        if taint.found_in(command) is not None:
            return Violation(ID, exe, "event data reaches a shell command line", taint=True)
    if taint.found_in(exe) is not None:
        return Violation(ID, exe, "the executable comes from the event", taint=True)
    for arg in argv[1:]:
        if arg.startswith("-") and taint.found_in(arg) is not None:
            return Violation(ID, exe, "event data becomes a command-line option", taint=True)
    return None


def check(event: str, args: tuple[Any, ...], policy: Rules) -> Violation | None:
    if event in ("os.fork", "os.forkpty"):
        if policy.fork:
            return None
        return Violation(ID, event, "fork is not allowed (process.fork)")
    exe, argv, shell = _parse(event, args)
    found = _taint(exe, argv, shell, policy)
    if found is not None:
        return found
    if policy.level(ID) == "allow" or allowed(exe, policy):
        return None
    return Violation(ID, exe, "executable is not in the allow-list")
