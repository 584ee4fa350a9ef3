"""``bench/compare.py``: the figures two trees both report, per round, and their ratio."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_compare", ROOT / "bench" / "compare.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compare = _module()


def test_figures_are_the_numeric_leaves_by_path() -> None:
    doc = {"a": 1, "b": {"c": 2.5, "ok": True, "name": "x"}, "d": [1, 2]}
    assert compare._figures(doc) == {"a": 1.0, "b.c": 2.5}


def test_ratio_of_medians_over_the_figures_both_report() -> None:
    runs = {
        "base": [{"t": {"median": 100}, "old": 1}, {"t": {"median": 120}, "old": 2}],
        "this": [{"t": {"median": 50}, "new": 3}, {"t": {"median": 70}, "new": 4}],
    }
    out = compare.compare(runs)
    assert out == {"t.median": {"base": [100.0, 120.0], "this": [50.0, 70.0], "ratio": 0.545}}


def test_a_zero_base_has_no_ratio() -> None:
    out = compare.compare({"base": [{"n": 0}], "this": [{"n": 3}]})
    assert out["n"]["ratio"] is None


def test_checkout_of_a_revision(tmp_path: Path) -> None:
    tree = compare._checkout("HEAD", tmp_path)
    assert (tree / "bench" / "run.py").exists()
    assert (tree / "eventguard" / "runtime" / "wrapper.py").exists()
    if (ROOT / "node_modules").is_dir():  # the CDK CLI is borrowed from this tree
        assert (tree / "node_modules").resolve() == (ROOT / "node_modules").resolve()
