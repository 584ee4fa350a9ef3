"""Processes: no child process unless its executable is allow-listed.

``subprocess.Popen``, ``os.system`` (a ``/bin/sh -c`` command line), ``os.exec*``,
``os.posix_spawn[p]``, ``os.spawn*``, ``pty.spawn``; ``os.fork`` / ``os.forkpty`` only with
``fork: true``. An allow-list entry with a slash matches that path exactly; a bare name
(``git``) matches a bare-name invocation resolved through ``PATH``, not ``/tmp/x/git``.
Allowing a shell allows whatever its command line says: prefer the program itself.

Taint: event text in a shell command line (``sh -c``, ``os.system``), event text as the
executable, or an event value that becomes an option (``-o...``) of a program is a taint
violation, even when the executable is allowed.
"""

from __future__ import annotations

import os
from typing import Any

from .rules import Rules, Violation

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
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    try:
        return os.fspath(value) if not isinstance(value, str) else value
    except TypeError:
        return str(value)


def _argv(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str | bytes | bytearray) or hasattr(value, "__fspath__"):
        return [_str(value)]
    try:
        return [_str(v) for v in list(value)[:4096]]
    except TypeError:
        return [_str(value)]


def _parse(event: str, args: tuple[Any, ...]) -> tuple[str, list[str], bool]:
    """(executable, argv, runs a shell command line)."""
    if event == "os.system":
        command = _str(args[0]) if args else ""
        return "/bin/sh", ["/bin/sh", "-c", command], True
    if event == "subprocess.Popen":
        executable, argv = args[0], _argv(args[1] if len(args) > 1 else None)
    elif event == "os.spawn":
        executable, argv = args[1], _argv(args[2] if len(args) > 2 else None)
    elif event == "pty.spawn":
        argv = _argv(args[0] if args else None)
        executable = argv[0] if argv else ""
    else:  # os.exec, os.posix_spawn: (path, argv, env)
        executable, argv = args[0], _argv(args[1] if len(args) > 1 else None)
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
