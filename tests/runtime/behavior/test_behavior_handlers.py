"""The example handlers behind the wrapper with a behavior policy, each run in a fresh process
(audit hooks cannot be removed): hostile events are stopped and logged, benign ones work."""

from __future__ import annotations

import base64
import json
import os
import pickle
import socket
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


def run(
    handler: str, events: list[Any], behavior: dict[str, Any] | None = None, **spec: Any
) -> dict[str, Any]:
    doc = {
        "policy": {
            "function": "Examples/Behavior",
            "mode": spec.pop("mode", "block"),
            "behavior": behavior or json.loads((EXAMPLES / "policy.json").read_text()),
        },
        "handler": handler,
        "task_root": str(EXAMPLES),
        "repo": str(REPO),
        "events": events,
        **spec,
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


def behavior_logs(out: dict[str, Any]) -> list[dict[str, Any]]:
    return [line for line in out["logs"] if line["type"] == "behavior"]


def assert_blocked(result: dict[str, Any], concern: str) -> None:
    assert result["ok"] is False, result
    # urllib wraps the PermissionError of a socket call in a URLError; the message stays ours
    assert result["error"] in ("BehaviorBlocked", "URLError")
    assert f"eventguard blocked {concern}" in result["message"]


def test_blocks_event_text_in_a_shell_command_line_and_allows_constant_ones() -> None:
    out = run(
        "handlers.thumbnail_shell",
        [{"preset": "small"}, {"file": "cat.png; cat /etc/passwd"}, {"file": "cat.png"}],
    )
    ok, injected, plain = out["results"]
    assert ok == {"ok": True, "value": {"output": "64x64"}}
    assert_blocked(injected, "process")
    assert_blocked(plain, "process")  # event text in a shell line is refused, attack or not
    logs = behavior_logs(out)
    assert [(x["concern"], x["taint"], x["request_id"]) for x in logs] == [
        ("process", True, "req-1"),
        ("process", True, "req-2"),
    ]
    assert logs[0]["detail"] == "/bin/sh"
    assert logs[0]["event"] == "subprocess.Popen"


def test_blocks_unlisted_executables_and_option_injection() -> None:
    behavior = {"process": {"executables": ["echo"]}}
    out = run("handlers.thumbnail", [{"file": "cat.png"}, {"file": "--version"}], behavior)
    assert out["results"][0] == {"ok": True, "value": {"output": "convert -resize 64x64 cat.png"}}
    assert_blocked(out["results"][1], "process")
    assert "option" in out["results"][1]["message"]
    out = run(
        "handlers.thumbnail", [{"file": "cat.png"}], {"process": {"executables": ["/bin/echo"]}}
    )
    assert_blocked(out["results"][0], "process")  # a bare-name call does not match a path entry
    assert behavior_logs(out)[0]["reason"] == "executable is not in the allow-list"


def test_blocks_fork_and_os_system_unless_allowed() -> None:
    after = (
        "import os\n"
        "outcome = []\n"
        "for name, call in (('fork', os.fork), ('system', lambda: os.system('true'))):\n"
        "    try:\n"
        "        pid = call()\n"
        "        if name == 'fork' and pid == 0: os._exit(0)\n"
        "        outcome.append('ran')\n"
        "    except PermissionError as exc:\n"
        "        outcome.append(str(exc))\n"
        "result = outcome\n"
    )
    out = run("handlers.thumbnail", [], {"process": {"executables": []}}, after=after)
    fork, system = out["after"]
    assert "fork is not allowed" in fork
    assert "executable is not in the allow-list: /bin/sh" in system
    out = run(
        "handlers.thumbnail",
        [],
        {"process": {"executables": ["/bin/sh"], "fork": True}},
        after=after,
    )
    assert out["after"] == ["ran", "ran"]


SERVER = """
import http.server, threading
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"pong")
    def log_message(self, *a): pass
server = http.server.HTTPServer(("127.0.0.1", {port}), H)
threading.Thread(target=server.serve_forever, daemon=True).start()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_blocks_ssrf_to_instance_metadata_in_every_spelling_and_allows_declared_hosts() -> None:
    port = free_port()
    hostile = [
        "http://169.254.169.254/latest/meta-data/",
        "http://0xa9fea9fe/",
        "http://2852039166/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fd00:ec2::254]/",
        "http://internal.example.invalid/",
    ]
    events = [{"callback": f"http://127.0.0.1:{port}/"}] + [{"callback": url} for url in hostile]
    out = run("handlers.webhook", events, setup=SERVER.format(port=port))
    assert out["results"][0] == {"ok": True, "value": {"status": 200, "body": "pong"}}
    for result in out["results"][1:]:
        assert_blocked(result, "egress")
    details = [x["detail"] for x in behavior_logs(out)]
    assert details[0] == "169.254.169.254" and "internal.example.invalid" in details
    assert all(x["concern"] == "egress" for x in behavior_logs(out))


def test_blocks_a_host_taken_from_the_event_even_when_egress_only_alerts() -> None:
    behavior = {"levels": {"egress": "alert"}, "egress": {"hosts": []}}
    after = (
        "import socket\n"
        "try:\n"
        "    socket.getaddrinfo('localhost', 80)\n"
        "    result = 'resolved'\n"
        "except PermissionError as exc:\n"
        "    result = str(exc)\n"
    )
    out = run(
        "handlers.webhook", [{"callback": "http://attacker.invalid/x"}], behavior, after=after
    )
    assert_blocked(out["results"][0], "egress")
    assert "SSRF" in out["results"][0]["message"]
    assert out["after"] == "resolved"  # a host not from the event: alert only
    alerts = [x for x in behavior_logs(out) if x["action"] == "alert"]
    assert alerts and alerts[-1]["detail"] == "localhost"


def test_blocks_connect_to_undeclared_addresses_without_resolution() -> None:
    after = (
        "import socket\n"
        "outcome = []\n"
        "for addr in [('10.1.2.3', 80), ('169.254.170.2', 80)]:\n"
        "    s = socket.socket()\n"
        "    try:\n"
        "        s.connect(addr)\n"
        "    except PermissionError as exc:\n"
        "        outcome.append(str(exc))\n"
        "    finally:\n"
        "        s.close()\n"
        "result = outcome\n"
    )
    out = run("handlers.thumbnail", [], {"egress": {"cidrs": ["192.168.0.0/16"]}}, after=after)
    assert "address is not in the egress allow-list" in out["after"][0]
    assert "instance metadata" in out["after"][1]


def test_blocks_path_traversal_and_reads_of_own_code_while_templates_and_imports_work() -> None:
    events = [
        {"template": "hello.html", "name": "Ada"},
        {"template": "../handlers.py"},
        {"template": "/proc/self/environ"},
    ]
    out = run("handlers.render", events)
    assert out["results"][0] == {"ok": True, "value": {"html": "<h1>Hello Ada</h1>\n"}}
    assert_blocked(out["results"][1], "files")
    assert_blocked(out["results"][2], "files")
    out = run("handlers.source", [{}])
    assert_blocked(out["results"][0], "files")
    assert behavior_logs(out)[0]["reason"] == "read of the function's own code"
    out = run("handlers.lazy_import", [{"module": "helper"}])
    assert out["results"][0] == {"ok": True, "value": {"answer": 42}}


def test_blocks_proc_environ_reads_without_taint() -> None:
    after = (
        "try:\n"
        "    open('/proc/self/environ', 'rb').read()\n"
        "    result = 'read'\n"
        "except PermissionError as exc:\n"
        "    result = str(exc)\n"
    )
    out = run("handlers.thumbnail", [], after=after)
    assert "process environment or memory" in out["after"]


def test_blocks_writes_outside_tmp() -> None:
    out = run("handlers.export", [{}, {"directory": "/var/tmp"}, {"directory": "/tmp/../etc"}])
    assert out["results"][0] == {"ok": True, "value": {"written": "/tmp/report.csv"}}
    assert_blocked(out["results"][1], "files")
    assert_blocked(out["results"][2], "files")
    reasons = [x["reason"] for x in behavior_logs(out)]
    assert reasons == [
        "the event chooses the whole file path",
        "an event value escapes the directory",
    ]


def test_blocks_eval_of_event_text_and_allows_constant_formulas() -> None:
    out = run(
        "handlers.calculate",
        [{"plan": "gold"}, {"formula": "price * 100"}, {"formula": "().__class__.__base__"}],
    )
    assert out["results"][0] == {"ok": True, "value": {"result": 8.0}}
    assert_blocked(out["results"][1], "code")
    assert_blocked(out["results"][2], "code")
    assert behavior_logs(out)[0]["event"] == "compile"


def test_blocks_unpickling_of_unlisted_classes_and_allows_plain_values() -> None:
    class Exploit:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, ("id",))

    benign = base64.b64encode(pickle.dumps({"user": "ada", "cart": [1, 2]})).decode()
    hostile = base64.b64encode(pickle.dumps(Exploit())).decode()
    out = run("handlers.restore", [{"session": benign}, {"session": hostile}])
    assert out["results"][0]["ok"] is True
    assert_blocked(out["results"][1], "unpickle")
    assert behavior_logs(out)[0]["detail"] == "posix.system"


def test_alert_mode_logs_and_changes_nothing() -> None:
    out = run(
        "handlers.export",
        [{"directory": "/var/tmp/eg-alert"}],
        mode="alert",
        setup="import os; os.makedirs('/var/tmp/eg-alert', exist_ok=True)",
    )
    assert out["results"][0] == {"ok": True, "value": {"written": "/var/tmp/eg-alert/report.csv"}}
    assert behavior_logs(out)[0]["action"] == "alert"


def test_lazy_imports_from_a_fresh_task_root_log_nothing(tmp_path: Path) -> None:
    for name in ("handlers.py", "helper.py"):
        (tmp_path / name).write_text((EXAMPLES / name).read_text())
    out = run("handlers.lazy_import", [{"module": "helper"}], task_root=str(tmp_path))
    assert out["results"][0] == {"ok": True, "value": {"answer": 42}}
    assert behavior_logs(out) == []  # reading the module and caching its bytecode are fine
