"""Files: writes only under declared directories; no reads of the function's own code after
initialization, of ``/proc/*/environ`` (the function's credentials) or ``/proc/*/mem``.

Writes are ``open`` with a write flag (``O_WRONLY``, ``O_RDWR``, ``O_CREAT``, ``O_TRUNC``,
``O_APPEND``) and the ``os.*`` calls that change the tree (remove, rename, mkdir, chmod, link,
symlink, truncate, ``shutil.rmtree``); the default writable directory is ``/tmp``. Write paths are
resolved with ``realpath`` (a symlink in /tmp cannot point out of it); reads are resolved when
they go through a link created since the guard started (``/tmp/x -> /proc/self/environ``).
Reads under the task root (``LAMBDA_TASK_ROOT``) are allowed to the import system and to
``linecache`` (tracebacks), and under ``files.readable``. A write into eventguard's own
files is a ``tamper`` violation.

Taint: an event value that carries ``..`` or an absolute path and lands in a file path so that the
path leaves the directory it was joined to (``/tmp/uploads/`` + ``../../var/task/app.py``) is a
taint violation, for reads and writes alike.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from .rules import Rules, Violation, plain, under

ID = "files"
EVENTS = (
    "open",
    "os.remove",
    "os.rmdir",
    "os.rename",
    "os.mkdir",
    "os.truncate",
    "os.chmod",
    "os.chown",
    "os.link",
    "os.symlink",
    "shutil.rmtree",
)
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
# Paths of these events' arguments that are written: index into args.
WRITTEN_ARGS = {"os.rename": (0, 1), "os.link": (1,), "os.symlink": (1,)}
# Frames allowed to read the task root after initialization (imports, traceback source lines)
# and to write bytecode caches (``__pycache__/*.pyc``) wherever imports come from.
CODE_READERS = ("<frozen importlib._bootstrap_external>", "<frozen zipimport>")
CODE_READER_SUFFIXES = ("linecache.py", "tokenize.py", "zipimport.py")
_HERE = os.path.dirname(os.path.abspath(__file__))
# Symbolic links created since the guard started (``os.symlink`` is audited, ``Rules.links``): a
# read through one is resolved with realpath, so /tmp/x -> /proc/self/environ is seen.
MAX_TRACKED_LINKS = 4096


def path_of(value: Any) -> str | None:
    """The absolute, normalized path an argument names; None for a descriptor."""
    path = plain(value)  # CPython hands the hook paths already converted to str or bytes
    if path is None or "\x00" in path:
        return None  # a descriptor, or a path the call itself refuses
    if path[:1] == "/" and "/." not in path and "//" not in path:
        return path.rstrip("/") or "/"  # already normal: skip normpath on the hot path
    if not path.startswith("/"):
        path = os.path.join(os.getcwd(), path)
    return os.path.normpath(path)


def _is_write(args: tuple[Any, ...]) -> bool:
    flags = args[2] if len(args) > 2 else None
    if type(flags) is int:  # CPython always passes the open flags
        return bool(flags & WRITE_FLAGS)
    mode = plain(args[1]) if len(args) > 1 else None
    return mode is not None and ("w" in mode or "a" in mode or "x" in mode or "+" in mode)


def _from_code_reader() -> bool:
    """Whether the Python code that asked is the import system or linecache."""
    frame = sys._getframe(1)
    for _ in range(12):
        if frame is None:
            return False
        name = frame.f_code.co_filename
        if not name.startswith(_HERE):
            return name in CODE_READERS or name.endswith(CODE_READER_SUFFIXES)
        frame = frame.f_back  # type: ignore[assignment]
    return False


def _escapes(path: str, rules: Rules, raw: str) -> Violation | None:
    """An event value that moves the path out of the directory it was joined to, or names an
    absolute path outside the writable directories (``os.path.join`` drops the base then)."""
    for tainted in rules.taint.path_strings():
        at = raw.find(tainted)
        if at < 0:
            continue
        if at == 0:
            if ".." in tainted.replace("\\", "/").split("/"):
                return Violation(ID, path, "an event value escapes the directory", taint=True)
            if not under(path, rules.writable):
                return Violation(ID, path, "the event chooses the whole file path", taint=True)
            continue
        head = raw[:at]
        base = os.path.normpath(head if head.endswith("/") else os.path.dirname(head))
        joined = os.path.normpath(raw[: at + len(tainted)])
        if not (joined == base or joined.startswith(base.rstrip("/") + "/")):
            return Violation(ID, path, "an event value escapes the directory", taint=True)
    return None


def _write(path: str, rules: Rules) -> Violation | None:
    real = os.path.realpath(path)
    if rules.runtime_root and under(real, (rules.runtime_root,)):
        return Violation("tamper", real, "write to eventguard's own files")
    if rules.level(ID) == "allow" or under(real, rules.writable):
        return None
    if real.endswith(".pyc") and "/__pycache__/" in real and _from_code_reader():
        return None  # the import system caching bytecode (it ignores a read-only task root)
    return Violation(ID, real, "write outside the writable directories")


def _read(path: str, rules: Rules) -> Violation | None:
    if rules.links and under(path, tuple(rules.links)):  # through a link made at run time
        path = os.path.realpath(path)
    if path.startswith("/proc/") and path.rsplit("/", 1)[-1] in ("environ", "mem"):
        return Violation(ID, path, "read of process environment or memory")
    root = rules.task_root
    if not root or not (path == root or path.startswith(root + "/")):
        return None
    if under(path, rules.readable) or _from_code_reader() or rules.level(ID) == "allow":
        return None
    return Violation(ID, path, "read of the function's own code")


def check(event: str, args: tuple[Any, ...], policy: Rules) -> Violation | None:
    if event == "open":
        raw = args[0] if args else None
        path = path_of(raw)
        if path is None:
            return None
        if policy.taint.active() and policy.taint.path_strings():
            found = _escapes(path, policy, plain(raw) or "")
            if found is not None:
                return found
        return _write(path, policy) if _is_write(args) else _read(path, policy)
    for index in WRITTEN_ARGS.get(event, (0,)):
        path = path_of(args[index]) if len(args) > index else None
        if path is None:
            continue
        found = _write(path, policy)
        if found is not None:
            return found
        if event == "os.symlink" and len(policy.links) < MAX_TRACKED_LINKS:
            policy.links.add(path)
    return None
