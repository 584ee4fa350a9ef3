"""Instructions per event, counted by callgrind: the one speed figure a shared machine cannot move.

    python bench/bench_instructions.py [--rounds 3] [--base REV]

Wall and CPU clocks on these 2-core machines move by 20-40% between runs of the same code, which
hides any change under that. Valgrind's callgrind counts the machine instructions a process
executes, the same from one run to the next within a fraction of a percent whatever else runs.
This script runs a worker (itself) under callgrind once per workload, each time on the same
events, and subtracts a run that only loads and warms them (one ``inspect`` per event, so
compiled patterns and imported detectors are not counted):

- ``inspect_per_event``: ``inspect`` over every sample of tests/events, per event (thousands);
- ``extract_per_event``: field extraction alone on the same events (``fields.extract``);
- ``api_6mb_body``: with ``--big``, one ``inspect`` of bench_sources' 6 MB API body (millions).

Each run under callgrind takes about a minute (the interpreter runs some 50 times slower).

With ``--base REV`` the same counts are taken for the ``eventguard`` package of that revision
(``git archive``), on this tree's events, and ``ratio`` is this tree over the base. Prints JSON;
without valgrind on the machine, ``{"valgrind": null}`` and nothing else.
"""

from __future__ import annotations

import argparse
import compileall
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "tests" / "events"
WORKLOADS = ("none", "inspect", "extract", "none_big", "api_6mb_body")


def _worker(workload: str, rounds: int) -> None:
    """Load and warm the sample events, then run ``workload`` ``rounds`` times (``none``: not
    at all, the baseline of the others; ``none_big`` also builds the 6 MB body, the baseline
    of ``api_6mb_body``)."""
    from eventguard.runtime import inspect, sources
    from eventguard.runtime.fields import Budget, extract

    events = [json.loads(p.read_text()) for p in sorted(EVENTS.glob("*/*.json"))]
    for event in events:
        inspect(event)
    body = None
    if workload in ("none_big", "api_6mb_body"):
        sys.path.insert(0, str(ROOT / "bench"))
        from bench_sources import _api_body

        body = _api_body(6 * 1024 * 1024)
    for _ in range(rounds):
        if workload == "inspect":
            for event in events:
                inspect(event)
        elif workload == "extract":
            for event in events:
                budget = Budget(deadline=time.perf_counter() + 60)
                for _field in extract(event, sources.identify(event), budget):
                    pass
        elif workload == "api_6mb_body":
            inspect(body)


_COLLECTED = re.compile(r"Collected : (\d+)")


def collected(stderr: str) -> int:
    """The instruction count callgrind prints at the end of a run."""
    m = _COLLECTED.search(stderr)
    if m is None:
        raise RuntimeError(f"no instruction count in callgrind's output: {stderr[-500:]!r}")
    return int(m.group(1))


def _count(tree: Path, workload: str, rounds: int) -> int:
    """Instructions of one worker run importing ``eventguard`` from ``tree``."""
    proc = subprocess.run(
        [
            shutil.which("valgrind") or "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            workload,
            "--rounds",
            str(rounds),
        ],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tree), "PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    return collected(proc.stderr)


def per_unit(count: int, baseline: int, units: int) -> float:
    """Instructions of a workload beyond the baseline, per unit of work."""
    return (count - baseline) / units


def measure(tree: Path, rounds: int, big: bool) -> dict[str, float]:
    """The figures for the ``eventguard`` package under ``tree``, its bytecode compiled first
    (else the first run, the baseline, would count the compiling)."""
    compileall.compile_dir(tree / "eventguard", quiet=1)
    events = len(list(EVENTS.glob("*/*.json")))
    baseline = _count(tree, "none", rounds)
    out = {
        "inspect_per_event_k": round(
            per_unit(_count(tree, "inspect", rounds), baseline, rounds * events) / 1e3, 1
        ),
        "extract_per_event_k": round(
            per_unit(_count(tree, "extract", rounds), baseline, rounds * events) / 1e3, 1
        ),
    }
    if big:
        body = per_unit(_count(tree, "api_6mb_body", 1), _count(tree, "none_big", 1), 1)
        out["api_6mb_body_m"] = round(body / 1e6, 1)
    return out


def _base_tree(rev: str, into: Path) -> Path:
    """The ``eventguard`` package of ``rev`` under ``into`` (the events stay this tree's)."""
    data = subprocess.run(
        ["git", "archive", "--format=tar", rev, "eventguard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as archive:
        archive.extractall(into, filter="data")
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the sample events")
    parser.add_argument("--base", default=None, help="git revision to count as well")
    parser.add_argument("--big", action="store_true", help="count the 6 MB API body too")
    parser.add_argument("--worker", choices=WORKLOADS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, args.rounds)
        return 0
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print(json.dumps({"valgrind": None}))
        return 0
    version = subprocess.run([valgrind, "--version"], capture_output=True, text=True).stdout
    result: dict[str, Any] = {
        "valgrind": version.strip(),
        "this": measure(ROOT, args.rounds, args.big),
    }
    if args.base:
        with tempfile.TemporaryDirectory() as tmp:
            result["base"] = {
                "rev": args.base,
                **measure(_base_tree(args.base, Path(tmp)), args.rounds, args.big),
            }
        result["ratio"] = {
            key: round(value / result["base"][key], 3) for key, value in result["this"].items()
        }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
