"""``make bench``: run every ``bench/bench_*.py`` in its own process and print one JSON document.

Each benchmark prints JSON on stdout. They run one after another (never in parallel: the
machines are shared and noisy) and every figure that is a target is a ratio or a percentile
measured inside one run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared", help="path of the shared data folder")
    parser.add_argument("--only", nargs="*", help="names of benchmarks to run (e.g. sources)")
    args = parser.parse_args()
    results: dict[str, object] = {}
    failed = False
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        extra = ["--shared", args.shared] if '"--shared"' in script.read_text() else []
        proc = subprocess.run(
            [sys.executable, str(script), *extra],
            capture_output=True,
            text=True,
            cwd=HERE.parent,
            check=False,
        )
        try:
            results[name] = json.loads(proc.stdout)
        except ValueError:
            failed = True
            results[name] = {"error": proc.stderr[-2000:] or proc.stdout[-2000:]}
        print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print(json.dumps(results, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
