"""``eventguard inspect``: the runtime's verdict from the command line, without importing CDK."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eventguard", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_blocked_event_exits_1_with_the_finding(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"comment": "<script>alert(document.cookie)</script>"}))
    proc = run("inspect", str(event), "--json")
    verdict = json.loads(proc.stdout)
    assert (proc.returncode, verdict["source"], verdict["findings"][0]["path"]) == (
        1,
        "direct",
        "comment",
    )


def test_clean_event_exits_0(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"comment": "Two large pizzas, extra cheese, O'Brien's order"}))
    assert run("inspect", str(event)).returncode == 0


def test_rejects_a_file_that_is_not_json(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text("{not json")
    proc = run("inspect", str(event))
    assert (proc.returncode, "eventguard inspect:" in proc.stderr) == (2, True)


def test_commands_do_not_import_aws_cdk() -> None:
    code = (
        "import sys; from eventguard import cli; "
        "sys.argv=['eventguard','--help']\n"
        "try:\n    cli.main(['inspect','--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('aws_cdk','jsii')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip().splitlines()[-1] == "[]"
