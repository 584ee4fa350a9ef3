"""``bench/bench_instructions.py``: callgrind's count is read, and a workload's count is what
it adds to the baseline run, per unit of work."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bench" / "bench_instructions.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_instructions", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


instructions = _module()


def test_the_count_is_read_from_callgrind_s_summary():
    stderr = "==1== Events    : Ir\n==1== Collected : 2904782946\n==1==\n==1== I   refs: 2,9"
    assert instructions.collected(stderr) == 2904782946
    with pytest.raises(RuntimeError, match="no instruction count"):
        instructions.collected("valgrind: command failed")


def test_a_workload_counts_what_it_adds_to_the_baseline_per_unit():
    assert instructions.per_unit(3_000_000, 1_000_000, 1_000) == 2_000.0


def test_the_worker_runs_each_workload_on_the_sample_events():
    for workload in ("none", "inspect", "extract"):
        proc = subprocess.run(
            [sys.executable, str(SCRIPT), "--worker", workload, "--rounds", "1"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.mark.skipif(shutil.which("valgrind") is not None, reason="valgrind is installed here")
def test_without_valgrind_it_says_so():
    proc = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == '{"valgrind": null}'
