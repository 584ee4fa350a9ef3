"""Compare a benchmark of this tree with the same benchmark of another commit, run alternately.

    python bench/compare.py BASE [--bench sources] [--rounds 2] [--shared ../shared]

These machines are shared: the same code measured minutes apart moves by 20%, so two figures
from two runs say little about a change. This script checks ``BASE`` (any git revision) out into
a temporary folder and runs ``bench/bench_<name>.py`` of each tree in turn, ``--rounds`` times
(base, this, base, this, ...), each in its own process importing its own tree. It prints one
JSON document: every numeric figure the two trees both report, with each tree's values per
round and the ratio of their medians (this tree over base; below 1 is faster for a time).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _checkout(rev: str, into: Path) -> Path:
    """The files of ``rev`` (``git archive``) under ``into``. A checkout has no installed
    dependencies: it borrows this tree's ``node_modules`` (the CDK CLI that ``bench_audit``
    runs), so both trees synthesize with the same CLI; Python runs from this tree's venv."""
    data = subprocess.run(
        ["git", "archive", "--format=tar", rev], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as archive:
        archive.extractall(into, filter="data")
    if (ROOT / "node_modules").is_dir() and not (into / "node_modules").exists():
        (into / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return into


def _run(tree: Path, name: str, shared: str | None) -> dict[str, Any]:
    script = tree / "bench" / f"bench_{name}.py"
    if not script.exists():
        raise SystemExit(f"{script} does not exist in that tree")
    extra = ["--shared", shared] if shared and '"--shared"' in script.read_text() else []
    proc = subprocess.run(
        [sys.executable, str(script), *extra], cwd=tree, capture_output=True, text=True
    )
    if proc.returncode:
        raise SystemExit(f"{script} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _figures(doc: Any, prefix: str = "") -> dict[str, float]:
    """Every numeric leaf of a JSON document, by dotted path (booleans are not figures)."""
    out: dict[str, float] = {}
    if isinstance(doc, dict):
        for key, value in doc.items():
            out.update(_figures(value, f"{prefix}{key}."))
    elif isinstance(doc, int | float) and not isinstance(doc, bool):
        out[prefix.rstrip(".")] = float(doc)
    return out


def compare(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Per figure both trees report: the values per round and the ratio of the medians."""
    base = [_figures(doc) for doc in runs["base"]]
    this = [_figures(doc) for doc in runs["this"]]
    common = sorted(set.intersection(*(set(f) for f in base + this)))
    out: dict[str, Any] = {}
    for key in common:
        b = [f[key] for f in base]
        t = [f[key] for f in this]
        middle = statistics.median(b)
        out[key] = {
            "base": b,
            "this": t,
            "ratio": round(statistics.median(t) / middle, 3) if middle else None,
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="git revision to compare with (e.g. HEAD~5, a tag)")
    parser.add_argument("--bench", default="sources", help="benchmark name (bench_<name>.py)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--shared", default=None, help="path of the shared data folder")
    args = parser.parse_args()
    # each tree's benchmark runs in its own folder: a relative path would name two folders
    shared = str(Path(args.shared).resolve()) if args.shared else None
    runs: dict[str, list[dict[str, Any]]] = {"base": [], "this": []}
    with tempfile.TemporaryDirectory() as tmp:
        base_tree = _checkout(args.base, Path(tmp))
        for _ in range(args.rounds):
            runs["base"].append(_run(base_tree, args.bench, shared))
            runs["this"].append(_run(ROOT, args.bench, shared))
    print(json.dumps({"base": args.base, "bench": args.bench, "figures": compare(runs)}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
