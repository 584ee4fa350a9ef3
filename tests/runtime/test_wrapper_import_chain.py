"""What importing the Lambda wrapper loads: no detector and none of the heavy standard library
modules the runtime needs only later or rarely (a structural check, not a timing one).

Each check runs in a fresh interpreter and looks at ``sys.modules``: what the interpreter had
loaded before the import (``site``, the editable install's finder) does not count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Loaded later, when they are used: signing (hashlib, hmac, datetime), the security log
# (logging), decoding (html, base64, email), answering a caller (urllib.request); dataclasses
# (inspect, ast, dis, tokenize) not at all; threading neither (the wrapper's one lock comes from
# _thread).
DEFERRED = (
    "threading",
    "dataclasses",
    "inspect",
    "ast",
    "dis",
    "tokenize",
    "hashlib",
    "hmac",
    "datetime",
    "logging",
    "traceback",
    "html",
    "html.entities",
    "base64",
    "email",
    "urllib.request",
    "http.client",
    "ssl",
)


def _loaded_by(code: str) -> list[str]:
    """The modules ``code`` loads in a fresh interpreter, besides those loaded at startup."""
    script = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        f"{code}\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    ).stdout
    return list(json.loads(out))


def test_the_wrapper_imports_no_detector_and_no_deferred_module() -> None:
    loaded = _loaded_by("import eventguard.runtime.wrapper")
    assert "eventguard.runtime.wrapper" in loaded
    assert [m for m in loaded if m.startswith("eventguard.runtime.detectors")] == []
    assert [m for m in loaded if m in DEFERRED] == []


def test_the_wrapper_comes_from_this_tree() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "import eventguard.runtime.wrapper as w; print(w.__file__)"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    ).stdout
    assert Path(out.strip()).is_relative_to(ROOT)


def test_scan_imports_only_the_detectors_a_text_is_routed_to() -> None:
    code = (
        "from eventguard.runtime.detectors import scan\n"
        "scan('an ordinary sentence, with nothing to route')\n"
        "mods = [m for m in sys.modules if m.startswith('eventguard.runtime.detectors.')]\n"
        "assert [m for m in mods if not m.rpartition('.')[2].startswith('_')] == [], mods\n"
        "assert scan(\"1' OR '1'='1\")\n"
    )
    loaded = _loaded_by(code)
    detectors = {
        m.rpartition(".")[2] for m in loaded if m.startswith("eventguard.runtime.detectors.")
    }
    assert "sqli" in detectors
    assert {"xss", "ssti", "code_injection", "path_traversal", "log4shell"}.isdisjoint(detectors)


def test_all_detectors_loads_every_registered_module() -> None:
    loaded = _loaded_by(
        "from eventguard.runtime.detectors import REGISTRY, all_detectors\n"
        "assert [d.ID for d in all_detectors()] == list(REGISTRY)"
    )
    assert "eventguard.runtime.detectors.log4shell" in loaded
