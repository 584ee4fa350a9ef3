"""Tamper resistance and native code, each in a fresh process: once the guard runs, user code
cannot switch it off or loosen it, and every attempt is refused and logged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
RUNNER = Path(__file__).with_name("behavior_runner.py")
EXAMPLES = REPO / "examples" / "behavior"
pytestmark = pytest.mark.slow
# The interpreter the handlers run in (the runtime supports 3.11-3.13): EVENTGUARD_TEST_PYTHON.
PYTHON = os.environ.get("EVENTGUARD_TEST_PYTHON", sys.executable)

ATTEMPTS = r"""
import gc, os, sys
from eventguard.runtime import behavior, wrapper, policy as policy_module
from eventguard.runtime.behavior import egress
seen = []
sys.addaudithook(lambda e, a: seen.append(e))  # refused: CPython then drops it without a word
open(os.devnull).close()
attempts = {
    "settrace": lambda: sys.settrace(lambda *a: None),
    "setprofile": lambda: sys.setprofile(lambda *a: None),
    "gc_objects": lambda: gc.get_objects(),
    "gc_referrers": lambda: gc.get_referrers(egress.check),
    "module_attr": lambda: setattr(egress, "check", lambda *a: None),
    "module_class": lambda: setattr(behavior, "__class__", type(os)),
    "code_swap": lambda: setattr(egress.check, "__code__", (lambda e, a, p: None).__code__),
    "own_file": lambda: open(os.path.join(os.path.dirname(behavior.__file__), "zz_evil.py"), "w"),
}
if hasattr(sys, "monitoring"):
    attempts["monitoring"] = lambda: sys.monitoring.register_callback(
        2, sys.monitoring.events.CALL, lambda *a: None)
outcome = {}
for name, attempt in attempts.items():
    try:
        attempt()
        outcome[name] = "done"
    except PermissionError as exc:
        outcome[name] = str(exc)
sys.settrace(None) if outcome["settrace"] == "done" else None
loose = policy_module.from_dict({"function": "x", "behavior": {"levels": {"process": "allow"}}})
import io
from eventguard.runtime.seclog import SecurityLog
wrapper.configure(policy=loose, user_handler=lambda e, c: None,
                  quarantine=wrapper.Quarantine("", "x"), log=SecurityLog(io.StringIO()))
try:
    os.system("true")
    outcome["loosened"] = "done"
except PermissionError as exc:
    outcome["loosened"] = str(exc)
outcome["addaudithook"] = "added" if seen else "refused"
result = outcome
"""


def run(after: str, behavior: dict[str, Any]) -> dict[str, Any]:
    doc = {
        "policy": {"function": "Examples/Tamper", "behavior": behavior},
        "handler": "handlers.thumbnail",
        "task_root": str(EXAMPLES),
        "repo": str(REPO),
        "events": [],
        "after": after,
    }
    done = subprocess.run(
        [PYTHON, str(RUNNER)],
        input=json.dumps(doc),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_blocks_every_tamper_attempt_and_a_second_install_cannot_loosen() -> None:
    evil = REPO / "eventguard" / "runtime" / "behavior" / "zz_evil.py"
    try:
        out = run(ATTEMPTS, {"process": {"executables": []}})
    finally:
        created = evil.exists()
        evil.unlink(missing_ok=True)
    assert not created
    outcome = out["after"]
    assert set(outcome) - {"monitoring"} == {
        "addaudithook",
        "settrace",
        "setprofile",
        "gc_objects",
        "gc_referrers",
        "module_attr",
        "module_class",
        "code_swap",
        "own_file",
        "loosened",
    }
    assert outcome.pop("addaudithook") == "refused"
    for name, message in outcome.items():
        assert message.startswith("eventguard"), (name, message)
    assert "executable is not in the allow-list" in outcome["loosened"]
    tamper = [x for x in out["logs"] if x["type"] == "behavior" and x["concern"] == "tamper"]
    events = {x["event"] for x in tamper}
    assert {
        "sys.addaudithook",
        "sys.settrace",
        "gc.get_objects",
        "object.__setattr__",
        "open",
        "behavior.install",
    } <= events


NATIVE = r"""
outcome = []
try:
    import ctypes
    ctypes.CDLL("libc.so.6").getpid()
    outcome.append("loaded")
except PermissionError as exc:
    outcome.append(str(exc))
result = outcome
"""


def test_blocks_ctypes_unless_declared() -> None:
    out = run(NATIVE, {"levels": {"native": "block"}})
    assert out["after"][0].startswith("eventguard blocked native")
    out = run(NATIVE, {"levels": {"native": "allow"}})
    assert out["after"] == ["loaded"]
