"""``bench/fuzz.py`` (``make fuzz``): its JSON summary, its engines, its reproducers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import eventguard.runtime

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "fuzz.py"
KEYS = {
    "engine",
    "executions",
    "time",
    "crashes",
    "slowest_ms_per_kb",
    "slow",
    "memory",
    "peak_rss_mb",
}


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> tuple[int, Any]:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return done.returncode, json.loads(done.stdout)


@pytest.mark.slow
def test_random_engine_prints_the_summary(tmp_path):
    code, summary = run(
        "--seconds", "2", "--engine", "random", "--seed", "3", "--out", str(tmp_path)
    )
    assert set(summary) >= KEYS
    assert summary["engine"] == "random-mutation"
    assert summary["executions"] > 0 and summary["seeds"] >= 30
    assert code == (1 if summary["crashes"] or summary["memory"] else 0)
    for crash in summary["crashes"]:
        assert (ROOT / crash["reproducer"]).is_file()


@pytest.mark.slow
def test_falls_back_to_random_mutation_without_atheris(tmp_path):
    blocker = tmp_path / "site"
    blocker.mkdir()
    (blocker / "atheris.py").write_text("raise ImportError('atheris is not installed here')\n")
    env = {"PYTHONPATH": str(blocker), "PATH": "/usr/bin:/bin"}
    _, summary = run("--seconds", "1", "--out", str(tmp_path / "out"), env=env)
    assert summary["engine"] == "random-mutation"


@pytest.mark.slow
def test_atheris_engine_when_installed(tmp_path):
    pytest.importorskip("atheris")
    _, summary = run("--seconds", "2", "--engine", "atheris", "--out", str(tmp_path))
    assert summary["engine"] == "atheris"
    assert summary["libfuzzer_exit_code"] == 0
    assert summary["executions"] > 0


def test_a_crash_is_counted_and_saved_with_a_reproducer(fuzz, tmp_path, monkeypatch):
    def crashing(event: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(eventguard.runtime, "inspect", crashing)
    summary = fuzz.run_random(0.5, None, 5, tmp_path)
    assert summary["executions"] > 0
    [crash] = summary["crashes"]
    assert crash["error"].startswith("ZeroDivisionError: planted")
    assert crash["count"] == summary["executions"]
    reproducer = ROOT / crash["reproducer"]
    assert reproducer.is_file() and reproducer.with_suffix(".txt").is_file()
    assert fuzz.replay(reproducer) == 1


def test_a_contract_break_is_a_crash(fuzz, tmp_path, monkeypatch):
    from eventguard.runtime import Finding, Verdict

    def leaky(event: Any, **kwargs: Any) -> Any:
        return Verdict("direct", [Finding("$", "sqli", "\n" + "x" * 400)], blocked=False)

    monkeypatch.setattr(eventguard.runtime, "inspect", leaky)
    summary = fuzz.run_random(0.3, None, 5, tmp_path)
    assert summary["crashes"] and summary["crashes"][0]["error"].startswith("Invariant")


def test_reproducers_of_any_depth_round_trip(fuzz):
    event = fuzz.deep(10_000, {"q": "\ud800' OR 1=1", "n": [1.5, None, True]}, as_list=False)
    text = fuzz.dump(event)
    assert fuzz.dump(fuzz.load_deep(text)) == text
    assert fuzz.approx_size(event) > 10_000


def test_mutations_are_a_function_of_the_fuzzers_bytes(fuzz, seeds):
    mutator = fuzz.Mutator(seeds)
    mutator.big_odds = 0
    for data in (b"", b"\x01\x02\x03", bytes(range(256)), b"\xff" * 64):
        first = mutator.mutate(fuzz.BytesChooser(data))
        again = mutator.mutate(fuzz.BytesChooser(data))
        assert first[0] == again[0] and fuzz.dump(first[1]) == fuzz.dump(again[1])
